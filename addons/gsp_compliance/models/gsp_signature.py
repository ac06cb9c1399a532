# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import contextvars
import hashlib
import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_datetime

MEANINGS = [
    ("approved", "Approved"),
    ("reviewed", "Reviewed"),
    ("released", "Released"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("closed", "Closed"),
]
# Meanings whose signature needs a reason (why it was rejected, released, closed).
MEANINGS_WITH_REASON = ("rejected", "released", "closed")

# Set by ``_gsp_make`` only, while it creates signatures: Python state, no client can send it.
_MAKING = contextvars.ContextVar("gsp_signature_making", default=False)


class GspSignature(models.Model):
    """An electronic signature (21 CFR Part 11 / EU GMP Annex 11): who signed, when, what it
    means, why, and which record; made by the signature wizard after the signer re-entered their
    password, hashed, and never changed or deleted."""

    _name = "gsp.signature"
    _inherit = ["gsp.retention.mixin"]
    _description = "Electronic Signature"
    _order = "timestamp desc, id desc"
    _rec_name = "record_name"

    user_id = fields.Many2one("res.users", string="Signed By", required=True, readonly=True, index=True)
    timestamp = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    meaning = fields.Selection(MEANINGS, required=True, readonly=True)
    reason = fields.Text(readonly=True)
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True, index=True)
    record_name = fields.Char(string="Record", readonly=True)
    method = fields.Char(readonly=True, help="The decision the signature was given for.")
    consumed = fields.Boolean(readonly=True, help="The decision it was given for was carried out.")
    is_system = fields.Boolean(
        string="System Decision",
        readonly=True,
        help="Given by the system path of the decision (a script run by the administrator), not by a"
        " person re-entering their password.",
    )
    hash = fields.Char(readonly=True, help="SHA-256 of the signature's content.")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    manifestation = fields.Char(
        compute="_compute_manifestation",
        help="The signature as shown on the record and its printed documents (21 CFR Part 11"
        " §11.50): meaning, printed name of the signer, date and time, reason.",
    )

    @api.depends("meaning", "user_id", "timestamp", "reason", "is_system")
    def _compute_manifestation(self):
        meanings = dict(self._fields["meaning"]._description_selection(self.env))
        for signature in self:
            text = self.env._(
                "%(meaning)s by %(signer)s on %(date)s",
                meaning=meanings.get(signature.meaning, signature.meaning or ""),
                signer=signature.user_id.sudo().name or "",  # sudo: the signer's name, on any record
                date=format_datetime(self.env, signature.timestamp) if signature.timestamp else "",
            )
            if signature.is_system:
                text = self.env._("%(signature)s (system decision)", signature=text)
            reason = (signature.reason or "").strip()
            signature.manifestation = (
                self.env._("%(signature)s: %(reason)s", signature=text, reason=reason) if reason else text
            )

    @api.depends("meaning", "user_id", "timestamp", "is_system")
    def _compute_display_name(self):
        # A signature names what it says (meaning, signer, when), the record being shown with it.
        meanings = dict(self._fields["meaning"]._description_selection(self.env))
        for signature in self:
            signature.display_name = self.env._(
                "%(meaning)s by %(signer)s on %(date)s",
                meaning=meanings.get(signature.meaning, signature.meaning or ""),
                signer=signature.user_id.sudo().name or "",  # sudo: the signer's name, on any record
                date=format_datetime(self.env, signature.timestamp) if signature.timestamp else "",
            )

    def _content(self):
        self.ensure_one()
        return json.dumps(
            [
                self.user_id.id,
                self.user_id.login,
                fields.Datetime.to_string(self.timestamp),
                self.meaning,
                self.reason or "",
                self.res_model,
                self.res_id,
                self.record_name or "",
                self.method or "",
                # Only system signatures carry the flag: the hashes of the others stay as they were.
                *(["system"] if self.is_system else []),
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not vals_list:
            return self.browse()
        if not _MAKING.get():
            raise AccessError(
                self.env._("Signatures are made by the signature wizard only, with your password.")
            )
        signatures = super().create(vals_list)
        for signature in signatures:
            signature_hash = hashlib.sha256(signature._content().encode()).hexdigest()
            self.env.cr.execute(
                "UPDATE gsp_signature SET hash = %s WHERE id = %s", (signature_hash, signature.id)
            )
        signatures.invalidate_recordset(["hash"])
        self.env["gsp.audit.log"]._log_now(
            [
                {
                    "model": signature.res_model,
                    "res_id": signature.res_id,
                    "record_name": signature.record_name,
                    "operation": "signature",
                    "changes": [{"field": "meaning", "old": None, "new": signature.meaning}],
                    "reason": signature.reason,
                }
                for signature in signatures
            ]
        )
        return signatures

    @api.model
    def _gsp_make(self, vals_list):
        """Create signatures: for the signature wizard (after the password) and the system path
        of a decision only."""
        token = _MAKING.set(True)
        try:
            return self.sudo().create(vals_list)  # sudo: signatures are write-protected
        finally:
            _MAKING.reset(token)

    # Signatures never change: no super() call.
    def write(self, vals):  # pylint: disable=method-required-super
        if not self:
            return True
        raise AccessError(self.env._("Electronic signatures cannot be changed."))

    def _consume(self):
        # A plain UPDATE: signatures are read-only through the ORM, even for the system.
        self.env.cr.execute("UPDATE gsp_signature SET consumed = TRUE WHERE id IN %s", (tuple(self.ids),))
        self.invalidate_recordset(["consumed"])

    def verify(self):
        """Whether each signature's content still matches its hash."""
        return all(
            signature.hash == hashlib.sha256(signature._content().encode()).hexdigest() for signature in self
        )

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    @api.model
    def _signing_locked(self, user):
        """Five failed password entries in 15 minutes lock signing for 15 minutes."""
        since = fields.Datetime.subtract(fields.Datetime.now(), minutes=15)
        failures = (
            self.env["gsp.audit.log"]
            .sudo()
            .search_count(  # sudo: counting the user's own failures
                [("operation", "=", "login_failure"), ("user_id", "=", user.id), ("timestamp", ">=", since)]
            )
        )
        return failures >= 5

    @api.model
    def _check_reason(self, meaning, reason):
        if meaning in MEANINGS_WITH_REASON and not (reason or "").strip():
            raise UserError(
                self.env._(
                    "Give the reason for this signature (%(meaning)s): it is recorded with it.",
                    meaning=dict(self._fields["meaning"]._description_selection(self.env))[meaning],
                )
            )
