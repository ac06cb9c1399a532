# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models

from odoo.addons.batch_expiry.models.stock_lot import Block


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "gsp.signed.mixin"]

    gsp_acceptance_ids = fields.One2many("gsp.acceptance", "lot_id", string="Acceptances", readonly=True)

    def release_quarantine(self, reason):
        # G2: a release asked for over RPC needs a signature (the Release button signs).
        self._gsp_signatures("released", "release_quarantine")
        return super().release_quarantine(reason)

    def action_gsp_release(self):
        """Release from quarantine, signed: the reason is the signature's reason."""
        signatures = self._gsp_signatures("released", "action_gsp_release")
        reason = signatures[:1].reason or self.env.context.get("gsp_release_reason")
        return self.release_quarantine(reason)

    # --- Lot-release policy: G5 receipt acceptance --------------------------------------------------
    def _release_blocks(self, partner=None):
        blocks = super()._release_blocks(partner)
        acceptances = self.env["gsp.acceptance"]._blocking_acceptances(self.filtered("id"))
        labels = dict(self.env["gsp.acceptance"]._fields["state"]._description_selection(self.env))
        for acceptance in acceptances:
            if acceptance.state == "pending":
                blocks[acceptance.lot_id.id].append(
                    Block(
                        "awaiting_acceptance",
                        self.env._(
                            "%(acceptance)s of %(receipt)s, %(state)s",
                            acceptance=acceptance.name,
                            receipt=acceptance.picking_id.name,
                            state=labels[acceptance.state],
                        ),
                    )
                )
            else:
                blocks[acceptance.lot_id.id].append(
                    Block(
                        "rejected",
                        self.env._(
                            "%(acceptance)s of %(receipt)s, rejected by %(user)s",
                            acceptance=acceptance.name,
                            receipt=acceptance.picking_id.name,
                            user=acceptance.acceptor_id.name,
                        ),
                    )
                )
        return blocks

    @api.model
    def _release_blocked_domain(self):
        lots = self.env["gsp.acceptance"]._blocking_acceptances().lot_id
        return ["|", ("id", "in", lots.ids), *super()._release_blocked_domain()]
