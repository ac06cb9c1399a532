# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from markupsafe import Markup

from odoo import api, fields, models


class StockTemperatureExcursion(models.Model):
    """A period during which a location was outside the storage range of products stored there.

    Opening one quarantines the affected lots and tells the quality users; it can raise a CAPA."""

    _name = "stock.temperature.excursion"
    _description = "Temperature Excursion"
    _inherit = ["mail.thread", "mail.activity.mixin", "capa.origin.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    location_id = fields.Many2one(
        "stock.location", required=True, readonly=True, index=True, check_company=True
    )
    company_id = fields.Many2one(related="location_id.company_id", store=True, index=True)
    date_start = fields.Datetime(string="Start", required=True, readonly=True)
    date_end = fields.Datetime(string="End", readonly=True, help="First reading back in range.")
    temp_min_seen = fields.Float(string="Lowest (°C)", readonly=True, digits=(5, 2))
    temp_max_seen = fields.Float(string="Highest (°C)", readonly=True, digits=(5, 2))
    lot_ids = fields.Many2many("stock.lot", string="Affected Lots", readonly=True)
    log_ids = fields.One2many("stock.temperature.log", "excursion_id", string="Readings")
    state = fields.Selection(
        [("open", "Ongoing"), ("closed", "Ended")],
        required=True,
        default="open",
        readonly=True,
        tracking=True,
    )

    @api.depends("name", "location_id")
    def _compute_display_name(self):
        for excursion in self:
            excursion.display_name = f"{excursion.name} ({excursion.location_id.display_name})"

    # --- capa.origin.mixin hooks ----------------------------------------------------------------
    def _capa_source_type(self):
        return "temperature_excursion"

    def _capa_lots(self):
        return self.lot_ids

    def _capa_products(self):
        return self.lot_ids.product_id

    # --- Life cycle -----------------------------------------------------------------------------
    @api.model
    def _open(self, log, lots):
        excursion = self.create(
            {
                "name": self.env["ir.sequence"].next_by_code("stock.temperature.excursion")
                or self.env._("New"),
                "location_id": log.location_id.id,
                "date_start": log.measured_at,
                "temp_min_seen": log.temperature,
                "temp_max_seen": log.temperature,
            }
        )
        excursion._extend(log, lots)
        quality_users = self.env.ref("capa.group_quality_user").users.filtered(
            lambda user: excursion.company_id in user.company_ids
        )
        excursion.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "%(temperature)s °C at %(location)s on %(date)s, outside the storage range of the"
                " products stored there. The affected lots are in quarantine; decide on them and raise a"
                " CAPA if needed.",
                temperature=log.temperature,
                location=log.location_id.display_name,
                date=log.measured_at,
            ),
            partner_ids=quality_users.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return excursion

    def _extend(self, log, lots):
        self.ensure_one()
        new_lots = lots - self.lot_ids
        self.write(
            {
                "temp_min_seen": min(self.temp_min_seen, log.temperature),
                "temp_max_seen": max(self.temp_max_seen, log.temperature),
                "lot_ids": [fields.Command.link(lot.id) for lot in new_lots],
            }
        )
        log.excursion_id = self
        to_quarantine = new_lots.filtered(lambda lot: not lot.is_quarantined)
        if to_quarantine:
            to_quarantine._quarantine(
                self.env._(
                    "Temperature excursion %(excursion)s: %(temperature)s °C at %(location)s.",
                    excursion=self.name,
                    temperature=log.temperature,
                    location=log.location_id.display_name,
                )
            )

    def _close(self, log):
        self.write({"state": "closed", "date_end": log.measured_at})
