# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class CapaRecord(models.Model):
    _name = "capa.record"
    # G8: capa itself never deletes a CAPA that left draft (stricter than the retention period).
    _inherit = ["capa.record", "gsp.signed.mixin"]

    active = fields.Boolean(default=True)

    def action_close(self):
        # G2: closing a CAPA is a signed decision.
        self._gsp_signatures("closed", "action_close")
        return super().action_close()
