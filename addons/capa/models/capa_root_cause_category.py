# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class CapaRootCauseCategory(models.Model):
    """Where a root cause comes from (the 6M of a fishbone diagram by default)."""

    _name = "capa.root.cause.category"
    _description = "CAPA Root-Cause Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    capa_count = fields.Integer(string="CAPAs", compute="_compute_capa_count")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A root-cause category with this name already exists."),
    ]

    def _compute_capa_count(self):
        counts = dict(
            self.env["capa.record"]._read_group(
                [("root_cause_category_id", "in", self.ids)], ["root_cause_category_id"], ["__count"]
            )
        )
        for category in self:
            category.capa_count = counts.get(category, 0)
