# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from odoo import api, fields, models

from .gsp_license import EXPIRING_DAYS, WARNING_DAYS, warning_threshold

REGISTRATION_STATES = [
    ("valid", "Valid"),
    ("expiring", "Expiring"),
    ("invalid", "Missing or Expired"),
    ("not_required", "Not Required"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    gsp_regulated = fields.Boolean(
        string="GSP Regulated",
        tracking=True,
        help="A drug, medical device or cold-chain food: it needs a valid registration, and is only"
        " bought from and sold or delivered to partners with an approved licence covering its category.",
    )
    gsp_registration_number = fields.Char(
        string="Registration Number",
        tracking=True,
        help="Drug approval number, medical device registration or filing number, food licence number.",
    )
    gsp_registration_holder = fields.Char(
        string="Registration Holder", help="The marketing authorisation / registration holder."
    )
    gsp_registration_expiry = fields.Date(
        string="Registration Expiry", tracking=True, help="Last day the registration is valid."
    )
    gsp_registration_warned_days = fields.Integer(
        string="Registration Warned At (Days Left)",
        readonly=True,
        copy=False,
        help="The last expiry warning given (90, 60 or 30 days before the end); 0: none yet.",
    )
    gsp_registration_state = fields.Selection(
        REGISTRATION_STATES,
        string="Registration",
        compute="_compute_gsp_registration_state",
    )

    @api.depends("gsp_regulated", "gsp_registration_number", "gsp_registration_expiry")
    @api.depends_context("tz")
    def _compute_gsp_registration_state(self):
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=EXPIRING_DAYS)
        for product in self:
            if not product.gsp_regulated:
                state = "not_required"
            elif not product._gsp_registration_valid(today):
                state = "invalid"
            elif product.gsp_registration_expiry <= horizon:
                state = "expiring"
            else:
                state = "valid"
            product.gsp_registration_state = state

    def _gsp_registration_valid(self, date=None):
        """Whether the product may be traded on ``date`` (default: today) as far as its registration
        goes: always for non-regulated products; for regulated ones, a registration number and an
        expiry date not before ``date`` (the expiry day itself is still valid)."""
        self.ensure_one()
        if not self.gsp_regulated:
            return True
        date = date or fields.Date.context_today(self)
        return bool(
            self.gsp_registration_number
            and self.gsp_registration_expiry
            and self.gsp_registration_expiry >= date
        )

    def action_gsp_view_licenses(self):
        """The licences whose scope covers the product's category: the partners it may be traded with."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("gsp_compliance.gsp_license_action")
        action["domain"] = [("category_ids", "parent_of", self.categ_id.id)]
        action["context"] = {"search_default_approved": 1}
        return action

    def write(self, vals):
        if "gsp_registration_expiry" in vals and "gsp_registration_warned_days" not in vals:
            vals = dict(vals, gsp_registration_warned_days=0)
        return super().write(vals)

    @api.model
    def _gsp_warn_registration_expiry(self, today):
        """One activity per threshold (90, 60, 30 days) before a regulated product's registration
        ends, for the product's responsible or a GSP manager."""
        horizon = today + timedelta(days=max(WARNING_DAYS))
        products = self.search(
            [
                ("gsp_regulated", "=", True),
                ("gsp_registration_expiry", ">=", today),
                ("gsp_registration_expiry", "<=", horizon),
            ]
        )
        for product in products:
            days_left = (product.gsp_registration_expiry - today).days
            threshold = warning_threshold(days_left)
            warned = product.gsp_registration_warned_days
            if not threshold or (warned and warned <= threshold):
                continue
            responsible = product.responsible_id if "responsible_id" in product._fields else None
            user = self.env["gsp.license"]._gsp_warning_user(product.company_id, responsible)
            product.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                summary=self.env._(
                    "Registration ends in %(days)s days: renew it or stop trading the product",
                    days=days_left,
                ),
                note=self.env._(
                    "The registration %(number)s of %(product)s (holder: %(holder)s) ends on %(date)s."
                    " After that date the product can no longer be bought, sold or delivered.",
                    number=product.gsp_registration_number,
                    product=product.display_name,
                    holder=product.gsp_registration_holder or self.env._("unknown"),
                    date=product.gsp_registration_expiry,
                ),
                user_id=user.id,
            )
            product.gsp_registration_warned_days = threshold
