# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import json

from odoo import api, fields, models
from odoo.exceptions import AccessDenied, UserError

from ..models.gsp_decisions import DECISIONS, authorised
from ..models.gsp_signature import MEANINGS, MEANINGS_WITH_REASON

# What the signer fills in; everything else is fixed when the wizard is made for a decision.
SIGNER_FIELDS = {"reason", "password", "error"}


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
        """The wizard signing ``method`` of ``records`` with ``meaning``: refused at once, before
        the password is asked, unless it is a declared decision these records can take now."""
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

    @api.model
    def _sign_for(self, res_model, ids, method, meaning, password, reason=False):
        """Sign ``method`` of the records ``ids`` of ``res_model`` as the current user, with their
        password: the dialog's path and checks, for data files run as a user (``<function
        uid="...">``: the demo's signed decisions). A wrong password raises, undoing the call.
        Private: never reachable remotely, where the dialog (which counts wrong passwords) is
        the way."""
        records = self.env[res_model].browse(ids)
        wizard = self.browse(self._open_for(records, method, meaning)["res_id"])
        wizard.write({"password": password, "reason": reason})
        result = wizard.action_sign()
        if wizard.error:
            raise UserError(wizard.error)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard._check_decision()
        return wizards

    def write(self, vals):
        fixed = set(vals) - SIGNER_FIELDS
        if fixed:
            raise UserError(
                self.env._(
                    "The decision being signed cannot be changed (%(fields)s): close this dialog and sign"
                    " from the record.",
                    fields=", ".join(sorted(fixed)),
                )
            )
        return super().write(vals)

    def _decision(self):
        """The declared decision this wizard signs (refused when there is none)."""
        self.ensure_one()
        decision = DECISIONS.get((self.res_model, self.method))
        if decision is None:
            raise UserError(self.env._("This decision cannot be signed here."))
        return decision

    def _check_decision(self):
        """A declared decision, for records that exist and the user may change, with a meaning it
        may have, that the user may take and whose preconditions hold now."""
        decision = self._decision()
        try:
            ids = json.loads(self.res_ids or "[]")
        except ValueError:
            ids = None
        if not isinstance(ids, list) or not ids or not all(type(i) is int for i in ids):
            raise UserError(self.env._("This decision cannot be signed here."))
        records = self.env[decision.model].browse(ids)
        if len(records.exists()) != len(set(ids)):
            raise UserError(self.env._("The records to sign for no longer exist."))
        records.check_access("read")
        records._gsp_check_decision(decision, self.meaning)
        return decision, records

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
        decision, records = self._check_decision()
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
            error = self.env._("Wrong password: the signature was refused.")
            if Signature._signing_locked(user):
                error = self.env._("Wrong password. Signing is now locked for 15 minutes.")
            self.write({"password": False, "error": error})
            return self._action_reopen()
        signatures = Signature._gsp_make(
            [
                {
                    "user_id": user.id,
                    "meaning": self.meaning,
                    "reason": (self.reason or "").strip() or False,
                    "res_model": decision.model,
                    "res_id": record.id,
                    "record_name": record.display_name,
                    "method": decision.method,
                    "company_id": (record.company_id.id if "company_id" in record._fields else False)
                    or self.env.company.id,
                }
                for record in records
            ]
        )
        signatures._consume()
        self.write({"password": False})
        # The records show their signatures: computed, so forget what was computed before this one.
        shown = [name for name in ("gsp_signature_ids", "gsp_signature_count") if name in records._fields]
        if shown:
            records.invalidate_recordset(shown)
        # The declared method, never one named by the client; authorised for these records only.
        with authorised(decision, records, self.meaning, signatures):
            result = getattr(records, decision.method)()
        if isinstance(result, dict):
            return result
        return {"type": "ir.actions.act_window_close"}
