# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecallLevel(models.Model):
    """How serious a recall is, and the deadlines that follow from it.

    The data records follow the Chinese drug and medical-device recall rules (level I: notify
    within 1 day, report progress every day; level II: 3 days; level III: 7 days); they can be
    edited."""

    _name = "recall.level"
    _description = "Recall Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    notify_within_hours = fields.Integer(
        string="Notify Within (Hours)",
        required=True,
        help="Customers must be notified within this many hours of the approval of the recall.",
    )
    report_every_days = fields.Integer(
        string="Report Progress Every (Days)",
        required=True,
        help="A progress report is due to the regulator, and reminders go to customers who have not"
        " answered, at this rhythm.",
    )
    description = fields.Text(translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "unique(code)", "A recall level with this code already exists.")]

    @api.constrains("notify_within_hours", "report_every_days")
    def _check_deadlines(self):
        for level in self:
            if level.notify_within_hours <= 0 or level.report_every_days <= 0:
                raise ValidationError(
                    self.env._(
                        "Recall level %(level)s: the notification deadline and the progress-report"
                        " rhythm must be positive.",
                        level=level.name,
                    )
                )
