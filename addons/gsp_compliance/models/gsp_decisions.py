# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The signed decisions (21 CFR Part 11 §11.50, §11.70; EU GMP Annex 11 §14), declared here in
code and nowhere else: which method of which model, the meanings its signature may have, who may
take it, and the method checking its preconditions (run before the password is asked, and again
when the signature is given).

A declared decision runs only inside the authorisation the signature wizard opens after the
signer re-entered their password (``authorised``), or through the documented system path
``records._gsp_system_decision(method, reason)`` (superuser only: ``odoo shell`` scripts,
migrations). The authorisation is Python state of the running request: no client can send it
(unlike a context key or a method argument), and it ends with the call it authorised."""

import contextvars
from contextlib import contextmanager
from typing import NamedTuple


class Decision(NamedTuple):
    model: str
    method: str
    meanings: tuple
    groups: tuple  # XML ids of the groups whose members may take it (any of them)
    check: str  # method of the model: preconditions and rights, raises with what is missing
    also: tuple = ()  # other public methods of the model carrying out the same decision


DECISIONS = {
    (decision.model, decision.method): decision
    for decision in (
        Decision(
            "recall.event",
            "action_approve",
            ("approved",),
            ("capa.group_quality_manager",),
            "_check_can_approve",
        ),
        Decision(
            "recall.event", "action_close", ("closed",), ("capa.group_quality_manager",), "_check_closable"
        ),
        Decision(
            "capa.record", "action_close", ("closed",), ("capa.group_quality_manager",), "_check_closable"
        ),
        Decision(
            "stock.lot",
            "action_gsp_release",
            ("released",),
            ("capa.group_quality_manager",),
            "_check_can_release",
            also=("release_quarantine",),
        ),
        Decision(
            "recall.disposition",
            "action_execute",
            ("released",),
            ("capa.group_quality_manager",),
            "_gsp_check_release",
        ),
        Decision(
            "gsp.acceptance",
            "action_conclude",
            ("accepted", "rejected"),
            ("gsp_compliance.group_gsp_acceptor",),
            "_check_can_conclude",
        ),
        Decision(
            "gsp.license",
            "action_approve",
            ("approved",),
            ("gsp_compliance.group_gsp_manager",),
            "_check_can_approve",
        ),
        Decision(
            "stock.picking",
            "action_gsp_review",
            ("reviewed",),
            ("gsp_compliance.group_gsp_reviewer",),
            "_gsp_check_can_review",
        ),
    )
}


def decision_of(model, method):
    """The declared decision that ``method`` of ``model`` carries out, or None."""
    decision = DECISIONS.get((model, method))
    if decision:
        return decision
    return next((d for d in DECISIONS.values() if d.model == model and method in d.also), None)


class Authorisation(NamedTuple):
    decision: Decision
    ids: frozenset
    uid: int
    meaning: str
    signature_ids: tuple


_AUTHORISED = contextvars.ContextVar("gsp_authorised_decision", default=None)


@contextmanager
def authorised(decision, records, meaning, signatures):
    """Let ``records`` (as their user) take ``decision`` with ``signatures`` while the block runs."""
    token = _AUTHORISED.set(
        Authorisation(decision, frozenset(records.ids), records.env.uid, meaning, tuple(signatures.ids))
    )
    try:
        yield
    finally:
        _AUTHORISED.reset(token)


def current_authorisation():
    return _AUTHORISED.get()
