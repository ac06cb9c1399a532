# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockTemperatureLog(models.Model):
    """A temperature reading of a location, from the form, a CSV import or a sensor (HTTP API).

    A reading outside the storage range of a product stored at the location opens, or extends,
    an excursion of that location; a reading back in range closes it."""

    _name = "stock.temperature.log"
    _description = "Temperature Reading"
    _order = "measured_at desc, id desc"
    _check_company_auto = True

    location_id = fields.Many2one(
        "stock.location", required=True, index=True, check_company=True, domain=[("usage", "=", "internal")]
    )
    company_id = fields.Many2one(related="location_id.company_id", store=True, index=True)
    measured_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    temperature = fields.Float(string="Temperature (°C)", required=True, digits=(5, 2))
    source = fields.Selection(
        [("manual", "Manual"), ("import", "Import"), ("api", "Sensor (API)")], required=True, default="manual"
    )
    lot_id = fields.Many2one("stock.lot", check_company=True, help="When the reading concerns one lot only.")
    device_id = fields.Many2one("stock.temperature.device", readonly=True)
    excursion_id = fields.Many2one("stock.temperature.excursion", readonly=True, index=True)
    is_out_of_range = fields.Boolean(string="Out of Range", readonly=True)

    @api.constrains("temperature")
    def _check_temperature(self):
        for log in self:
            if not -100 <= log.temperature <= 100:
                raise ValidationError(
                    self.env._(
                        "%(temperature)s °C at %(location)s is not a plausible reading: check the sensor"
                        " or the value typed.",
                        temperature=log.temperature,
                        location=log.location_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("import_file"):
            for vals in vals_list:
                vals.setdefault("source", "import")
        logs = super().create(vals_list)
        logs.sorted("measured_at")._process_readings()
        return logs

    def _storage_limits(self):
        """{location id: [(product, min, max, quants)]} of temperature-controlled stock here."""
        quants = self.env["stock.quant"].search(
            [
                ("location_id", "in", self.location_id.ids),
                ("quantity", ">", 0),
                ("product_id.has_storage_range", "=", True),
            ]
        )
        limits = {}
        for (location, product), product_quants in quants.grouped(
            lambda q: (q.location_id, q.product_id)
        ).items():
            limits.setdefault(location.id, []).append(
                (product, product.storage_temp_min, product.storage_temp_max, product_quants)
            )
        return limits

    def _process_readings(self):
        limits = self._storage_limits()
        # sudo: excursions are opened, extended and closed by the system on any reading, whoever
        # recorded it; readings themselves are read-only once stored (audit trail).
        Excursion = self.env["stock.temperature.excursion"].sudo()
        for log in self.sudo():
            open_excursion = Excursion.search(
                [("location_id", "=", log.location_id.id), ("state", "=", "open")], limit=1
            )
            location_limits = list(limits.get(log.location_id.id, []))
            # The lots of an ongoing excursion were moved to quarantine: their ranges still decide
            # whether the excursion goes on.
            for product in open_excursion.lot_ids.product_id.filtered("has_storage_range"):
                location_limits.append(
                    (product, product.storage_temp_min, product.storage_temp_max, self.env["stock.quant"])
                )
            breached = [
                (product, quants)
                for product, low, high, quants in location_limits
                if not low <= log.temperature <= high
            ]
            if breached:
                lots = self.env["stock.lot"].union(*(quants.lot_id for _product, quants in breached))
                if log.lot_id:
                    lots = lots & log.lot_id or lots
                log.is_out_of_range = True
                if open_excursion:
                    open_excursion._extend(log, lots)
                else:
                    Excursion._open(log, lots)
            elif open_excursion:
                open_excursion._close(log)
