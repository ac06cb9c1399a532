# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import time

from odoo import api, fields, models


class GspAuditVerification(models.Model):
    """One verification of the audit trail's hash chain: when, by whom, the verdict."""

    _name = "gsp.audit.verification"
    _description = "Audit Trail Verification"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "date"

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="Run By", readonly=True, default=lambda self: self.env.user)
    ok = fields.Boolean(string="Chain Intact", readonly=True)
    entry_count = fields.Integer(string="Entries", readonly=True)
    broken_entry_id = fields.Integer(string="First Broken Entry", readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True)
    summary = fields.Char(readonly=True)

    @api.model
    def _run(self, incremental=False):
        """Verify the chain (from the last anchor with ``incremental``, else in full), record
        the verdict and, when it holds, anchor the head outside the database."""
        started = time.perf_counter()
        Log = self.env["gsp.audit.log"].sudo()  # sudo: the verification reads the whole chain
        ok, broken = Log.verify_chain(incremental=incremental)
        if ok:
            Log._anchor()
        count = Log.search_count([])
        if ok:
            summary = self.env._("Audit trail verified: %(count)s entries, chain intact.", count=count)
        elif not broken:
            summary = self.env._(
                "Audit trail BROKEN: an anchor of the chain kept outside the database was altered or forged."
            )
        else:
            summary = self.env._(
                "Audit trail BROKEN at entry #%(entry)s (%(record)s, %(operation)s): it was changed, or an"
                " entry before it was deleted, outside Odoo.",
                entry=broken.id,
                record=broken.record_name or broken.model,
                operation=broken.operation,
            )
        return self.sudo().create(  # sudo: verifications are system records, read by quality users
            {
                "ok": ok,
                "entry_count": count,
                "broken_entry_id": broken.id or 0,
                "duration": time.perf_counter() - started,
                "summary": summary,
            }
        )

    @api.model
    def _cron_verify(self):
        """Scheduled verification: the verdict is posted to the GSP and quality managers."""
        verification = self._run(incremental=True)
        managers = (
            self.env.ref("capa.group_quality_manager").users
            | self.env.ref("gsp_compliance.group_gsp_manager").users
        )
        verification.message_post(
            body=verification.summary,
            partner_ids=managers.filtered(lambda u: not u.share).partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return verification
