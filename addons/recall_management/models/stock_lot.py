# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models

from odoo.addons.batch_expiry.models.stock_lot import Block


class StockLot(models.Model):
    _inherit = "stock.lot"

    recall_event_ids = fields.Many2many(
        "recall.event",
        "recall_event_stock_lot_rel",
        "lot_id",
        "event_id",
        string="Recalls",
        readonly=True,
        copy=False,
    )
    recall_count = fields.Integer(compute="_compute_recall_count")

    def _compute_recall_count(self):
        for lot in self:
            lot.recall_count = len(lot.recall_event_ids.filtered(lambda e: not e.is_mock))

    def action_view_recalls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("recall_management.recall_event_action")
        action.update(
            domain=[("lot_ids", "in", self.ids)],
            context={
                "default_line_ids": [
                    fields.Command.create({"product_id": self.product_id.id, "lot_id": self.id})
                ]
            },
        )
        return action

    def action_new_recall(self):
        """A new recall of this lot, opened in a form."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Recall"),
            "res_model": "recall.event",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_title": self.env._(
                    "Recall of %(product)s lot %(lot)s", product=self.product_id.name, lot=self.name
                ),
                "default_line_ids": [
                    fields.Command.create({"product_id": self.product_id.id, "lot_id": self.id})
                ],
            },
        }

    # --- Lot-release policy: lots under a recall in progress --------------------------------------
    # The recalls holding each lot back, computed for all the lots read together and kept by the
    # ORM until a recall, its lots or its dispositions change: the reservation asks for every move.
    recall_hold_ids = fields.Json(string="Held by Recalls", compute="_compute_recall_hold_ids")

    @api.depends(
        "recall_event_ids.state",
        "recall_event_ids.is_mock",
        "recall_event_ids.disposition_ids.state",
        "recall_event_ids.disposition_ids.action",
        "recall_event_ids.disposition_ids.lot_id",
    )
    def _compute_recall_hold_ids(self):
        blocking = self.env["recall.event"]._blocking_events_by_lot(self.filtered("id"))
        for lot in self:
            event = blocking.get(lot)
            lot.recall_hold_ids = [event.id] if event else []

    def _release_prefetch(self):
        result = super()._release_prefetch()
        self.mapped("recall_hold_ids")
        return result

    def _release_blocks(self, partner=None):
        blocks = super()._release_blocks(partner)
        Event = self.env["recall.event"].sudo()  # sudo: the recall is named to every user
        for lot in self.filtered("id"):
            for event in Event.browse(lot.recall_hold_ids or []):
                blocks[lot.id].append(
                    Block(
                        "recalled", self.env._("%(recall)s: %(title)s", recall=event.name, title=event.title)
                    )
                )
        return blocks

    @api.model
    def _release_product_blocks(self, products, partner=None):
        blocks = super()._release_product_blocks(products, partner)
        for product, event in self.env["recall.event"]._blocking_events_by_product(products).items():
            blocks[product.id].append(
                Block("recalled", self.env._("%(recall)s: %(title)s", recall=event.name, title=event.title))
            )
        return blocks

    @api.model
    def _release_blocked_domain(self):
        lots = self.env["recall.event"]._blocked_lot_ids()
        return ["|", ("id", "in", lots), *super()._release_blocked_domain()]

    @api.model
    def _release_decision_fields(self):
        # A lot is recalled by the recall's trace only.
        return super()._release_decision_fields() | {"recall_event_ids"}
