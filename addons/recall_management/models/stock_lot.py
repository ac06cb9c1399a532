# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models
from odoo.exceptions import UserError


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

    def release_quarantine(self, reason):
        # A lot under a recall in progress goes back to stock only through a Release disposition
        # of that recall, which a quality manager carries out.
        released_by = self.env.context.get("recall_release_event_id")
        blocking = self.env["recall.event"]._blocking_events_by_lot(self)
        for lot, event in blocking.items():
            if event.id != released_by:
                raise UserError(
                    self.env._(
                        "Lot %(lot)s is under recall %(recall)s, which is in progress: release it with a"
                        " Release disposition on the recall.",
                        lot=lot.name,
                        recall=event.name,
                    )
                )
        return super().release_quarantine(reason)
