# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

COST_TYPES = [
    ("logistics", "Logistics"),
    ("destruction", "Destruction"),
    ("replacement", "Replacement"),
    ("refund", "Refund"),
    ("labour", "Labour"),
    ("other", "Other"),
]


class RecallCost(models.Model):
    _name = "recall.cost"
    _description = "Recall Cost"
    _order = "date desc, id desc"
    _check_company_auto = True

    event_id = fields.Many2one("recall.event", string="Recall", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="event_id.company_id", store=True, index=True)
    is_mock = fields.Boolean(related="event_id.is_mock", store=True)
    cost_type = fields.Selection(COST_TYPES, string="Type", required=True, default="logistics")
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(required=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    amount_company = fields.Monetary(
        string="Amount (Company Currency)",
        compute="_compute_amount_company",
        store=True,
        currency_field="company_currency_id",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    partner_id = fields.Many2one("res.partner", check_company=True)
    note = fields.Char()

    @api.depends("amount", "currency_id", "date", "company_id")
    def _compute_amount_company(self):
        for cost in self:
            company = cost.company_id or self.env.company
            cost.amount_company = cost.currency_id._convert(
                cost.amount, company.currency_id, company, cost.date or fields.Date.context_today(cost)
            )

    @api.constrains("amount")
    def _check_amount(self):
        for cost in self:
            if cost.amount < 0:
                raise ValidationError(
                    self.env._(
                        "A recall cost cannot be negative (%(amount)s on %(recall)s). Record refunds and"
                        " credits you receive outside the recall costs.",
                        amount=cost.amount,
                        recall=cost.event_id.name,
                    )
                )
