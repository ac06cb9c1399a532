# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import json

from odoo import api, fields, models
from odoo.exceptions import AccessDenied, UserError

from ..models.gsp_signature import MEANINGS, MEANINGS_WITH_REASON

# The decisions that are signed, and the meaning of their signature: (model, method) -> meanings.
SIGNED_DECISIONS = {
    ("recall.event", "action_approve"): ("approved",),
    ("recall.event", "action_close"): ("closed",),
    ("capa.record", "action_close"): ("closed",),
    ("stock.lot", "action_gsp_release"): ("released",),
    ("recall.disposition", "action_execute"): ("released",),
    ("gsp.acceptance", "action_conclude"): ("accepted", "rejected"),
    ("gsp.license", "action_approve"): ("approved",),
    ("stock.picking", "action_gsp_review"): ("reviewed",),
}


class GspSignatureWizard(models.TransientModel):
    """Password re-entry, meaning and reason; then the decision is carried out with the signature."""

    _name = "gsp.signature.wizard"
    _description = "Sign a Decision"

    res_model = fields.Char(required=True, readonly=True)
    res_ids = fields.Char(required=True, readonly=True, help="JSON list of the records signed.")
    method = fields.Char(required=True, readonly=True)
    record_names = fields.Char(string="Records", readonly=True)
    meaning = fields.Selection(MEANINGS, required=True, readonly=True)
    reason_required = fields.Boolean(compute="_compute_reason_required")
    reason = fields.Text()
    password = fields.Char(help="Your Odoo password, to confirm that you are the one signing.")
    error = fields.Char(readonly=True)

    @api.depends("meaning")
    def _compute_reason_required(self):
        for wizard in self:
            wizard.reason_required = wizard.meaning in MEANINGS_WITH_REASON

    @api.model
    def _open_for(self, records, method, meaning):
        meanings = SIGNED_DECISIONS.get((records._name, method))
        if not records or not meanings or meaning not in meanings:
            raise UserError(self.env._("This decision cannot be signed here."))
        wizard = self.create(
            {
                "res_model": records._name,
                "res_ids": json.dumps(records.ids),
                "method": method,
                "meaning": meaning,
                "record_names": ", ".join(records.mapped("display_name"))[:500],
            }
        )
        return wizard._action_reopen()

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Electronic Signature"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _records(self):
        return self.env[self.res_model].browse(json.loads(self.res_ids)).exists()

    def action_sign(self):
        """Check the password (a wrong one is logged as a failed login and counted: five in 15
        minutes lock signing), record one signature per record, then carry out the decision."""
        self.ensure_one()
        Signature = self.env["gsp.signature"]
        user = self.env.user
        if Signature._signing_locked(user):
            raise UserError(
                self.env._(
                    "Signing is locked for 15 minutes after five wrong passwords. Try again later or ask"
                    " your administrator."
                )
            )
        Signature._check_reason(self.meaning, self.reason)
        records = self._records()
        try:
            user._check_credentials(
                {"type": "password", "password": self.password or ""}, {"interactive": True}
            )
        except AccessDenied:
            # Not raised: the failure must be kept (a raised error would roll it back) and counted.
            self.env["gsp.audit.log"]._log_now(
                [
                    {
                        "model": self.res_model,
                        "res_id": records[:1].id,
                        "record_name": self.record_names,
                        "operation": "login_failure",
                        "changes": [{"field": "signature", "old": None, "new": self.meaning}],
                        "reason": self.env._("Wrong password when signing"),
                    }
                ]
            )
            self.write({"password": False, "error": self.env._("Wrong password: the signature was refused.")})
            if Signature._signing_locked(user):
                self.error = self.env._("Wrong password. Signing is now locked for 15 minutes.")
            return self._action_reopen()
        signatures = (
            Signature.with_context(gsp_signature_wizard=True)
            .sudo()
            .create(  # sudo: signatures are write-protected
                [
                    {
                        "user_id": user.id,
                        "meaning": self.meaning,
                        "reason": (self.reason or "").strip() or False,
                        "res_model": self.res_model,
                        "res_id": record.id,
                        "record_name": record.display_name,
                        "method": self.method,
                        "company_id": (record.company_id.id if "company_id" in record._fields else False)
                        or self.env.company.id,
                    }
                    for record in records
                ]
            )
        )
        self.password = False
        # The records show their signatures: computed, so forget what was computed before this one.
        shown = [name for name in ("gsp_signature_ids", "gsp_signature_count") if name in records._fields]
        if shown:
            records.invalidate_recordset(shown)
        result = getattr(records.with_context(gsp_signature_ids=signatures.ids), self.method)()
        if isinstance(result, dict):
            return result
        return {"type": "ir.actions.act_window_close"}
