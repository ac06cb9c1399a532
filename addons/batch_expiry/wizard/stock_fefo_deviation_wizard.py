# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models
from odoo.exceptions import UserError


class StockFefoDeviationWizard(models.TransientModel):
    """Asked when a delivery uses a later-expiring lot while an earlier one is free: the reason
    is posted on the delivery, then the validation goes on."""

    _name = "stock.fefo.deviation.wizard"
    _description = "Reason for not Following FEFO"

    picking_ids = fields.Many2many("stock.picking", required=True)
    line_ids = fields.One2many("stock.fefo.deviation.wizard.line", "wizard_id", readonly=True)
    # Required in the form; the wizard is created before the user writes it.
    reason = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Say why the delivery does not follow first expiring, first out: the reason is recorded."
                )
            )
        self.picking_ids._record_fefo_deviations(
            reason, [(line.move_line_id, line.earlier_lot_id) for line in self.line_ids]
        )
        # The recorded reasons now cover these deviations: validating goes on.
        return self.picking_ids.with_context(
            button_validate_picking_ids=self.picking_ids.ids
        ).button_validate()


class StockFefoDeviationWizardLine(models.TransientModel):
    _name = "stock.fefo.deviation.wizard.line"
    _description = "Lot Used out of FEFO Order"

    wizard_id = fields.Many2one("stock.fefo.deviation.wizard", required=True, ondelete="cascade")
    move_line_id = fields.Many2one("stock.move.line", required=True)
    product_id = fields.Many2one(related="move_line_id.product_id")
    lot_id = fields.Many2one(related="move_line_id.lot_id", string="Lot Used")
    expiration_date = fields.Datetime(related="move_line_id.lot_id.expiration_date", string="Expires")
    earlier_lot_id = fields.Many2one("stock.lot", string="Earlier Lot Available", required=True)
    earlier_expiration_date = fields.Datetime(
        related="earlier_lot_id.expiration_date", string="Earlier Lot Expires"
    )
