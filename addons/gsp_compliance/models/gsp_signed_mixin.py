# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class GspSignedMixin(models.AbstractModel):
    """Records whose decisions are signed: their signatures, shown on the form."""

    _name = "gsp.signed.mixin"
    _description = "Signed Record"

    gsp_signature_ids = fields.Many2many(
        "gsp.signature", string="Signatures", compute="_compute_gsp_signature_ids"
    )
    gsp_signature_count = fields.Integer(string="Signature Count", compute="_compute_gsp_signature_ids")

    def _compute_gsp_signature_ids(self):
        signatures = self.env["gsp.signature"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        )
        for record in self:
            record.gsp_signature_ids = signatures.filtered(lambda s, r=record: s.res_id == r.id)
            record.gsp_signature_count = len(record.gsp_signature_ids)

    def _gsp_keep_signature(self, fname, signatures):
        """Keep on each record, in ``fname``, the signature its decision was just taken with
        (21 CFR Part 11 §11.70: the signature is bound to its record); none clears it. Called by
        the decision's own method once it is carried out, whoever called it."""
        for record in self:
            signature = signatures.filtered(lambda s, r=record: s.res_id == r.id)[:1]
            # sudo: the signature fields carry the decision and are write-protected for users.
            record.sudo().write({fname: signature.id})

    def action_view_gsp_signatures(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("gsp_compliance.gsp_signature_action")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        return action
