# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    expiry_warning_days = fields.Integer(
        string="Near-Expiry Warning (Days)",
        default=90,
        help="A lot is near expiry this many days before its expiration date, unless its product or"
        " product category says otherwise.",
    )
    expiry_auto_quarantine = fields.Boolean(
        string="Quarantine Expired Lots",
        default=True,
        help="The daily expiry scan moves the stock of expired lots to quarantine.",
    )

    @api.constrains("expiry_warning_days")
    def _check_expiry_warning_days(self):
        for company in self:
            if company.expiry_warning_days < 0:
                raise ValidationError(
                    self.env._(
                        "The near-expiry warning of %(company)s cannot be negative.", company=company.name
                    )
                )

    def _local_tz(self):
        """The company's time zone (its address's), else the user's, else UTC: the one in which its
        dates (a recall's scope, its deadlines) are meant."""
        self.ensure_one()
        name = self.partner_id.tz or self.env.user.tz or "UTC"
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    def _local_day_start(self, day):
        """The UTC datetime (naive, as Odoo stores them) at which ``day`` begins for the company."""
        local = self._local_tz().localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _local_datetime(self, value):
        """A stored (UTC, naive) datetime in the company's time zone (aware)."""
        return pytz.utc.localize(value).astimezone(self._local_tz())

    @api.model
    def _gsp_plain_named_sequences(self):
        """The excursion sequence."""
        return {
            **super()._gsp_plain_named_sequences(),
            "batch_expiry.seq_temperature_excursion": lambda env: env._("Temperature Excursion"),
        }

    @api.model
    def _gsp_plain_named_records(self):
        """Each warehouse's quarantine location and sequence too."""
        records = super()._gsp_plain_named_records()
        warehouses = (
            self.env["stock.warehouse"]
            .with_context(active_test=False)
            .search(["|", ("quarantine_location_id", "!=", False), ("quarantine_type_id", "!=", False)])
        )
        for warehouse in warehouses:
            if warehouse.quarantine_location_id:
                records.append((warehouse.quarantine_location_id, lambda env: env._("Quarantine")))
            if warehouse.quarantine_type_id.sequence_id:
                records.append(
                    (
                        warehouse.quarantine_type_id.sequence_id,
                        lambda env, name=warehouse.name: env._("%(name)s Sequence quarantine", name=name),
                    )
                )
        return records
