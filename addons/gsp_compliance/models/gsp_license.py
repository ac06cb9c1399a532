# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

LICENSE_TYPES = [
    ("drug_business", "Drug Business Licence"),
    ("drug_manufacturing", "Drug Manufacturing Licence"),
    ("device_business", "Medical Device Business Licence"),
    ("device_manufacturing", "Medical Device Manufacturing Licence"),
    ("food_business", "Food Business Licence"),
    ("business", "Business Licence"),
    ("gsp_certificate", "GSP Certificate"),
    ("other", "Other"),
]
STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("expired", "Expired"),
    ("revoked", "Revoked"),
]
# Days before the end of a licence or a product registration at which the responsible is warned.
WARNING_DAYS = (90, 60, 30)
# A licence or registration ending within this many days is "expiring".
EXPIRING_DAYS = 90
# What an approved licence says: it cannot change without going back to draft (and a new approval).
APPROVED_FIELDS = {
    "partner_id",
    "license_type",
    "number",
    "category_ids",
    "date_from",
    "date_to",
    "company_id",
}


def warning_threshold(days_left):
    """The most urgent warning threshold reached with ``days_left`` days left, or 0."""
    reached = [days for days in WARNING_DAYS if days_left <= days]
    return min(reached) if reached else 0


class GspLicense(models.Model):
    """A licence or certificate of a supplier or customer (G3): what it allows them to trade
    (scope: product categories) and until when. Purchases from, sales and deliveries to a partner
    need an approved licence covering each regulated product on that day."""

    _name = "gsp.license"
    _description = "Partner Licence"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "gsp.retention.mixin",
        "gsp.signed.mixin",
        "quality.decision.mixin",
    ]
    _order = "date_to desc, id desc"
    _rec_names_search = ["name", "number", "partner_id"]
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, index="trigram")
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The company holding the licence (its commercial entity).",
    )
    license_type = fields.Selection(
        LICENSE_TYPES, string="Type", required=True, default="drug_business", tracking=True
    )
    number = fields.Char(required=True, tracking=True, help="The number printed on the licence.")
    issuer = fields.Char(help="The authority that issued the licence.")
    category_ids = fields.Many2many(
        "product.category",
        "gsp_license_product_category_rel",
        "license_id",
        "category_id",
        string="Scope",
        help="The product categories the licence allows the partner to trade (their sub-categories"
        " too). A licence without scope covers no regulated product.",
    )
    date_from = fields.Date(string="Valid From", tracking=True)
    date_to = fields.Date(string="Valid To", required=True, tracking=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "gsp_license_ir_attachment_rel",
        "license_id",
        "attachment_id",
        string="Scan",
        help="The scan of the licence; required to approve it.",
    )
    state = fields.Selection(STATES, required=True, default="draft", readonly=True, copy=False, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Warned 90, 60 and 30 days before the licence ends.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_approved = fields.Datetime(string="Approved On", readonly=True, copy=False)
    revoke_reason = fields.Text(copy=False, tracking=True)
    gsp_warned_days = fields.Integer(
        string="Warned At (Days Left)",
        readonly=True,
        copy=False,
        help="The last expiry warning given (90, 60 or 30 days before the end); 0: none yet.",
    )
    days_left = fields.Integer(compute="_compute_days_left", help="Days until the licence ends.")
    # G2: the signature the licence was approved with (its other signatures: gsp_signature_ids).
    approval_signature_id = fields.Many2one("gsp.signature", readonly=True, copy=False)

    @api.depends("license_type", "number")
    def _compute_name(self):
        types = dict(self._fields["license_type"]._description_selection(self.env))
        for licence in self:
            licence.name = " ".join(filter(None, [types.get(licence.license_type), licence.number]))

    @api.depends("date_to")
    @api.depends_context("tz")
    def _compute_days_left(self):
        today = fields.Date.context_today(self)
        for licence in self:
            licence.days_left = (licence.date_to - today).days if licence.date_to else 0

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for licence in self:
            if licence.date_from and licence.date_to and licence.date_to < licence.date_from:
                raise ValidationError(
                    self.env._(
                        "Licence %(licence)s: the end of validity (%(date_to)s) is before its start"
                        " (%(date_from)s). Check the dates printed on the licence.",
                        licence=licence.name,
                        date_to=licence.date_to,
                        date_from=licence.date_from,
                    )
                )

    # --- Create / write ---------------------------------------------------------------------------
    @api.model
    def _commercial_vals(self, vals):
        """Licences belong to the commercial entity, not to one of its contacts."""
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals = dict(vals, partner_id=partner.commercial_partner_id.id)
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._commercial_vals(vals) for vals in vals_list])

    def write(self, vals):
        vals = self._commercial_vals(vals)
        if APPROVED_FIELDS.intersection(vals):
            decided = self.filtered(lambda lic: lic.state != "draft")
            if decided:
                raise UserError(
                    self.env._(
                        "%(licences)s is no longer a draft: its partner, type, number, scope and dates"
                        " cannot change. Reset it to draft (a GSP manager approves it again) or record"
                        " the new licence.",
                        licences=", ".join(decided.mapped("display_name")),
                    )
                )
        if "date_to" in vals and "gsp_warned_days" not in vals:
            vals["gsp_warned_days"] = 0
        return super().write(vals)

    def _gsp_retained(self):
        return self.filtered(lambda lic: lic.state != "draft")

    # --- Decisions ------------------------------------------------------------------------------
    def _check_gsp_manager(self, action):
        if not (self.env.su or self.env.user.has_group("gsp_compliance.group_gsp_manager")):
            raise UserError(
                self.env._(
                    "Only a GSP manager can %(action)s a licence (%(licences)s). Ask your quality manager.",
                    action=action,
                    licences=", ".join(self.mapped("display_name")),
                )
            )

    def _has_scan(self):
        self.ensure_one()
        if self.attachment_ids:
            return True
        return bool(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", self._name), ("res_id", "=", self.id)], limit=1
            )
        )

    def _decision_fields(self):
        return super()._decision_fields() | {
            "state",
            "approved_by_id",
            "date_approved",
            "approval_signature_id",
        }

    def action_approve(self):
        """Approve the licences (GSP manager, electronic signature): the partner is then
        qualified for the licence's scope until it ends."""
        signatures = self._gsp_signatures("approved", "action_approve")
        self._check_can_approve()
        self._write_decision(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "date_approved": fields.Datetime.now(),
                "revoke_reason": False,
            }
        )
        self._gsp_keep_signature("approval_signature_id", signatures)
        for signature in signatures:
            self.browse(signature.res_id).message_post(
                body=self.env._(
                    "Approved with the electronic signature of %(user)s%(reason)s.",
                    user=signature.user_id.name,
                    reason=(": " + signature.reason) if signature.reason else "",
                )
            )
        return True

    def _check_can_approve(self):
        """Refuse, saying what is missing, when these licences cannot be approved now."""
        self._check_gsp_manager(self.env._("approve"))
        today = fields.Date.context_today(self)
        for licence in self:
            if licence.state != "draft":
                raise UserError(
                    self.env._(
                        "Licence %(licence)s is not a draft: only draft licences can be approved.",
                        licence=licence.display_name,
                    )
                )
            if licence.date_to < today:
                raise UserError(
                    self.env._(
                        "Licence %(licence)s of %(partner)s ended on %(date)s: an expired licence cannot"
                        " be approved. Ask the partner for its renewed licence.",
                        licence=licence.display_name,
                        partner=licence.partner_id.display_name,
                        date=licence.date_to,
                    )
                )
            if not licence._has_scan():
                raise UserError(
                    self.env._(
                        "Licence %(licence)s of %(partner)s has no scan: attach the scanned licence"
                        " before approving it.",
                        licence=licence.display_name,
                        partner=licence.partner_id.display_name,
                    )
                )

    def action_revoke(self, reason=None):
        """Revoke approved licences (the authority withdrew them, or they were wrong): the
        partner loses the qualification they gave."""
        reason = (reason or "").strip()
        for licence in self:
            if licence.state != "approved":
                raise UserError(
                    self.env._(
                        "Licence %(licence)s is not approved: only approved licences can be revoked.",
                        licence=licence.display_name,
                    )
                )
            if not (reason or (licence.revoke_reason or "").strip()):
                raise UserError(
                    self.env._(
                        "Give the reason for revoking licence %(licence)s (field Revocation Reason).",
                        licence=licence.display_name,
                    )
                )
        vals = {"state": "revoked"}
        if reason:
            vals["revoke_reason"] = reason
        self._write_decision(vals)
        return True

    def action_reset_draft(self):
        """Back to draft, to correct or renew a licence; it must be approved again."""
        self._check_gsp_manager(self.env._("reset to draft"))
        self._write_decision(
            {
                "state": "draft",
                "approved_by_id": False,
                "date_approved": False,
                "approval_signature_id": False,
            }
        )
        return True

    # --- Validity and scope -----------------------------------------------------------------------
    def _gsp_valid_on(self, date):
        """Whether the licence is approved and valid on ``date``."""
        self.ensure_one()
        return (
            self.state == "approved"
            and self.active
            and (not self.date_from or self.date_from <= date)
            and self.date_to >= date
        )

    def _gsp_covers(self, category):
        """Whether the licence's scope covers ``category`` (a product category or a child of one)."""
        self.ensure_one()
        path = category.sudo().parent_path or ""  # sudo: category tree, not business data
        return any(
            path.startswith(scope.parent_path) for scope in self.category_ids.sudo() if scope.parent_path
        )

    # --- Daily cron -----------------------------------------------------------------------------
    @api.model
    def _gsp_warning_user(self, company, user=None):
        """Who is warned: the given responsible, else a GSP manager of the company."""
        if user and user.active and not user.share:
            return user
        group = self.env.ref("gsp_compliance.group_gsp_manager")
        managers = group.sudo().users.filtered(  # sudo: reading group members to pick an addressee
            lambda u: u.active and not u.share and (not company or company in u.company_ids)
        )
        return managers.sorted("id")[:1] or self.env.ref("base.user_admin", raise_if_not_found=False)

    @api.model
    def _cron_gsp_license_daily(self):
        """Expire licences past their end; warn 90, 60 and 30 days before licences and product
        registrations end (one activity per threshold)."""
        today = fields.Date.context_today(self)
        expired = self.search([("state", "=", "approved"), ("date_to", "<", today)])
        for licence in expired:
            licence._write_decision({"state": "expired"})
            licence.message_post(
                body=self.env._(
                    "The licence ended on %(date)s: it is expired and no longer qualifies %(partner)s.",
                    date=licence.date_to,
                    partner=licence.partner_id.display_name,
                )
            )
        horizon = today + timedelta(days=max(WARNING_DAYS))
        for licence in self.search(
            [("state", "=", "approved"), ("date_to", ">=", today), ("date_to", "<=", horizon)]
        ):
            licence._gsp_warn_expiry(today)
        self.env["product.template"]._gsp_warn_registration_expiry(today)

    def _gsp_warn_expiry(self, today):
        self.ensure_one()
        days_left = (self.date_to - today).days
        threshold = warning_threshold(days_left)
        if not threshold or (self.gsp_warned_days and self.gsp_warned_days <= threshold):
            return False
        user = self._gsp_warning_user(self.company_id, self.user_id)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            summary=self.env._(
                "Licence ends in %(days)s days: ask %(partner)s for the renewed licence",
                days=days_left,
                partner=self.partner_id.display_name,
            ),
            note=self.env._(
                "%(licence)s of %(partner)s ends on %(date)s. Without a renewed, approved licence,"
                " purchases from, sales and deliveries to this partner will be refused.",
                licence=self.display_name,
                partner=self.partner_id.display_name,
                date=self.date_to,
            ),
            user_id=user.id,
        )
        self.gsp_warned_days = threshold
        return True
