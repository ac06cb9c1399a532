# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import UserError


class StockLocation(models.Model):
    _inherit = "stock.location"

    quarantine_warehouse_ids = fields.One2many(
        "stock.warehouse",
        "quarantine_location_id",
        string="Quarantine Location of",
        context={"active_test": False},
        readonly=True,
    )
    is_quarantine = fields.Boolean(
        string="Quarantine Location",
        compute="_compute_is_quarantine",
        store=True,
        recursive=True,
        index=True,
        help="Stock here is on hold: quarantined or waiting for a quality decision. Nothing is reserved"
        " from it. The quarantine location of each warehouse and every location under it.",
    )

    @api.depends("quarantine_warehouse_ids", "location_id.is_quarantine")
    def _compute_is_quarantine(self):
        for location in self:
            location.is_quarantine = (
                bool(location.quarantine_warehouse_ids) or location.location_id.is_quarantine
            )

    def write(self, vals):
        # Whether a location holds stock in quarantine follows from where it is: moving a location
        # into or out of a quarantine tree, or changing what a quarantine location is, would move
        # its stock in or out of quarantine without a transfer.
        if not self.env.su and {"is_quarantine", "quarantine_warehouse_ids"} & set(vals):
            raise UserError(
                self.env._(
                    "Whether a location is a quarantine location follows from where it is (a warehouse's"
                    " quarantine location or under one): it cannot be set."
                )
            )
        if not self.env.su and {"location_id", "usage"} & set(vals):
            if "location_id" in vals:
                parent = self.browse(vals["location_id"])
                # A warehouse's quarantine location stays where the warehouse put it (beside its
                # stock location, never under it); others may not enter or leave a quarantine tree.
                changed = self.filtered(
                    lambda location: (
                        location.quarantine_warehouse_ids
                        and location.location_id != parent
                        or not location.quarantine_warehouse_ids
                        and location.is_quarantine != parent.is_quarantine
                    )
                )
            else:
                changed = self.filtered(
                    lambda location: location.is_quarantine and location.usage != vals["usage"]
                )
            if changed:
                raise UserError(
                    self.env._(
                        "%(locations)s: a location is a quarantine location when it is a warehouse's"
                        " quarantine location or under one. It cannot be moved into or out of quarantine,"
                        " nor change its type: create a new location instead.",
                        locations=", ".join(changed.mapped("complete_name")),
                    )
                )
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            {"is_quarantine", "quarantine_warehouse_ids"} & set(vals) for vals in vals_list
        ):
            raise UserError(
                self.env._(
                    "A location is a quarantine location when it is created under one: choose a quarantine"
                    " location as its parent."
                )
            )
        return super().create(vals_list)
