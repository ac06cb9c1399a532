# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models

from odoo.addons.batch_expiry.models.stock_lot import Block


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "gsp.signed.mixin"]

    gsp_acceptance_ids = fields.One2many(
        "gsp.acceptance", "lot_id", string="Acceptances", readonly=True, context={"active_test": False}
    )

    def _written_in_sql(self, fname, old_values):
        # G1: the expiry scan's SQL write is recorded like any other change.
        result = super()._written_in_sql(fname, old_values)
        self._gsp_audit_sql_written(fname, old_values)
        return result

    def release_quarantine(self, reason):
        # G2: a release is a signed decision (action_gsp_release, see gsp_decisions), whoever calls.
        signatures = self._gsp_signatures("released", "release_quarantine")
        result = super().release_quarantine(reason)
        self._gsp_keep_release_signatures({signature.res_id: signature for signature in signatures})
        return result

    def _gsp_keep_release_signatures(self, signature_by_lot):
        """Keep on each lot's latest release (its quarantine history) the signature that released
        it: {lot id: gsp.signature}."""
        # sudo: the quarantine history is written by the system only.
        events = (
            self.env["stock.lot.quarantine.event"]
            .sudo()
            .search([("lot_id", "in", list(signature_by_lot)), ("action", "=", "release")], order="id desc")
        )
        for lot_id, signature in signature_by_lot.items():
            event = events.filtered(lambda e, lot_id=lot_id: e.lot_id.id == lot_id)[:1]
            if event:
                event.signature_id = signature

    def action_gsp_release(self):
        """Release from quarantine, signed: the reason is the signature's reason."""
        signatures = self._gsp_signatures("released", "action_gsp_release")
        return self.release_quarantine(signatures[:1].reason)

    # --- Lot-release policy: G5 receipt acceptance --------------------------------------------------
    # The acceptances holding each lot back, computed for all the lots read together and kept by
    # the ORM until an acceptance or its return changes: the reservation asks for every move.
    acceptance_hold_ids = fields.Json(string="Held by Acceptances", compute="_compute_acceptance_hold_ids")

    @api.depends(
        "gsp_acceptance_ids.state",
        "gsp_acceptance_ids.conclusion",
        "gsp_acceptance_ids.return_picking_id.state",
    )
    def _compute_acceptance_hold_ids(self):
        acceptances = self.env["gsp.acceptance"]._blocking_acceptances(self.filtered("id"))
        by_lot = {}
        for acceptance in acceptances:
            by_lot.setdefault(acceptance.lot_id.id, []).append(acceptance.id)
        for lot in self:
            lot.acceptance_hold_ids = by_lot.get(lot.id, [])

    def _release_prefetch(self):
        result = super()._release_prefetch()
        self.mapped("acceptance_hold_ids")
        return result

    def _release_blocks(self, partner=None):
        blocks = super()._release_blocks(partner)
        Acceptance = self.env["gsp.acceptance"].sudo()  # sudo: the acceptance is named to every user
        labels = dict(Acceptance._fields["state"]._description_selection(self.env))
        for lot in self.filtered("id"):
            for acceptance in Acceptance.browse(lot.acceptance_hold_ids or []):
                if acceptance.state == "pending":
                    block = Block(
                        "awaiting_acceptance",
                        self.env._(
                            "%(acceptance)s of %(receipt)s, %(state)s",
                            acceptance=acceptance.name,
                            receipt=acceptance.picking_id.name,
                            state=labels[acceptance.state],
                        ),
                    )
                else:
                    block = Block(
                        "rejected",
                        self.env._(
                            "%(acceptance)s of %(receipt)s, rejected by %(user)s",
                            acceptance=acceptance.name,
                            receipt=acceptance.picking_id.name,
                            user=acceptance.acceptor_id.name,
                        ),
                    )
                blocks[lot.id].append(block)
        return blocks

    @api.model
    def _release_blocked_domain(self):
        lots = self.env["gsp.acceptance"]._blocking_acceptances().lot_id
        return ["|", ("id", "in", lots.ids), *super()._release_blocked_domain()]
