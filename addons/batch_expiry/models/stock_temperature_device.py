# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import contextvars
import hashlib
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError

# Set only while action_generate_api_key writes the new hash: Python state of the running call,
# which no client can send (unlike a context key).
_ROTATING = contextvars.ContextVar("batch_expiry_rotating_api_key", default=False)


class StockTemperatureDevice(models.Model):
    """A sensor (or a location's gateway) that sends temperature readings to the HTTP API with its
    own API key. Only a hash of the key is stored; the key is shown once, when generated."""

    _name = "stock.temperature.device"
    _description = "Temperature Sensor"
    _check_company_auto = True

    name = fields.Char(required=True)
    location_id = fields.Many2one(
        "stock.location", required=True, check_company=True, domain=[("usage", "=", "internal")]
    )
    company_id = fields.Many2one(related="location_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True)
    api_key_hash = fields.Char(readonly=True, copy=False, groups="base.group_system", index=True)
    has_api_key = fields.Boolean(compute="_compute_has_api_key", string="API Key Set")
    log_count = fields.Integer(compute="_compute_log_count", string="Readings")

    @api.depends("api_key_hash")
    def _compute_has_api_key(self):
        for device in self.sudo():  # the hash itself stays hidden; whether it exists is not secret
            device.has_api_key = bool(device.api_key_hash)

    def _compute_log_count(self):
        counts = dict(
            self.env["stock.temperature.log"]._read_group(
                [("device_id", "in", self.ids)], ["device_id"], ["__count"]
            )
        )
        for device in self:
            device.log_count = counts.get(device, 0)

    @staticmethod
    def _hash_key(key):
        return hashlib.sha256(key.encode()).hexdigest()

    @api.model
    def _find_by_api_key(self, key):
        """The active device with this API key, or an empty recordset."""
        if not key:
            return self.browse()
        # sudo: called by the unauthenticated sensor endpoint; the key is the authentication.
        return self.sudo().search(
            [("api_key_hash", "=", self._hash_key(key)), ("active", "=", True)], limit=1
        )

    def _check_api_key_untouched(self, vals):
        if "api_key_hash" in vals and not _ROTATING.get():
            raise AccessError(
                self.env._("The API key of a sensor changes only with its Generate API Key button.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_api_key_untouched(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_api_key_untouched(vals)
        return super().write(vals)

    def action_generate_api_key(self):
        """Give the sensor a new API key (the old one stops working) and show it once. Only who
        may change the sensor (an Inventory manager) may do it, whatever the caller."""
        self.ensure_one()
        self.check_access("write")
        key = secrets.token_urlsafe(32)
        token = _ROTATING.set(True)
        try:
            # sudo: the hash field is for system users only; inventory managers may rotate keys.
            self.sudo().api_key_hash = self._hash_key(key)
        finally:
            _ROTATING.reset(token)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("API key of %(device)s", device=self.name),
                "message": self.env._(
                    "%(key)s — copy it into the sensor now: it is not shown again.", key=key
                ),
                "sticky": True,
                "type": "warning",
            },
        }
