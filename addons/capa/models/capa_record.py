# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import is_html_empty

SOURCE_TYPES = [
    ("complaint", "Complaint"),
    ("recall", "Recall"),
    ("deviation", "Deviation"),
    ("audit", "Audit Finding"),
    ("temperature_excursion", "Temperature Excursion"),
    ("supplier", "Supplier Issue"),
    ("other", "Other"),
]
SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")]
# Kanban highlight colours (Odoo's colour indexes): green, yellow, orange, red.
SEVERITY_COLORS = {"low": 10, "medium": 3, "high": 2, "critical": 1}
STATES = [
    ("draft", "Draft"),
    ("investigation", "Investigation"),
    ("implementation", "Implementation"),
    ("verification", "Verification"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("draft", "investigation", "implementation", "verification")
# States in which the action plan can still change.
PLANNING_STATES = ("draft", "investigation", "implementation")


class CapaRecord(models.Model):
    """A corrective and preventive action: problem, investigation, action plan, verification."""

    _name = "capa.record"
    _description = "Corrective and Preventive Action (CAPA)"
    _inherit = ["mail.thread", "mail.activity.mixin", "quality.decision.mixin"]
    _order = "id desc"
    _rec_names_search = ["name", "title"]
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    title = fields.Char(required=True, tracking=True)
    source_type = fields.Selection(
        SOURCE_TYPES, string="Source", required=True, default="other", tracking=True
    )
    origin_ref = fields.Reference(
        selection="_selection_origin_ref",
        string="Origin",
        index=True,
        help="The record this CAPA was raised from (a recall, a temperature excursion, ...).",
    )
    product_ids = fields.Many2many("product.product", string="Products", check_company=True)
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Lots",
        check_company=True,
        domain="[('product_id', 'in', product_ids)] if product_ids else []",
        # Lots are readable by inventory and quality staff only.
        groups="stock.group_stock_user,capa.group_quality_user",
        help="The lots concerned; their products are added to the products.",
    )
    partner_id = fields.Many2one("res.partner", tracking=True, check_company=True)
    severity = fields.Selection(SEVERITIES, required=True, default="medium", tracking=True)
    color = fields.Integer(compute="_compute_color", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user,
        domain=lambda self: [("groups_id", "in", self.env.ref("capa.group_quality_user").id)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    # Problem
    description = fields.Html(string="Problem Description")
    containment_action = fields.Html(help="What was done at once to protect customers and stock.")
    # Investigation
    rca_method = fields.Selection(
        [("five_whys", "5 Whys"), ("fishbone", "Fishbone (6M)"), ("other", "Other")],
        string="Root-Cause Method",
        tracking=True,
    )
    root_cause_category_id = fields.Many2one(
        "capa.root.cause.category", string="Root-Cause Category", tracking=True
    )
    root_cause = fields.Html()
    # Action plan
    action_ids = fields.One2many("capa.action", "capa_id", string="Actions")
    corrective_action_count = fields.Integer(compute="_compute_action_counts")
    preventive_action_count = fields.Integer(compute="_compute_action_counts")
    open_action_count = fields.Integer(compute="_compute_action_counts")
    # Verification
    effectiveness_criteria = fields.Html(help="How the effectiveness of the actions will be judged.")
    effectiveness_deadline = fields.Date(string="Effectiveness Check Due", tracking=True)
    effectiveness_result = fields.Selection(
        [("pending", "Pending"), ("effective", "Effective"), ("not_effective", "Not Effective")],
        required=True,
        default="pending",
        copy=False,
        tracking=True,
    )
    effectiveness_note = fields.Html(string="Verification Evidence")
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False, tracking=True)
    state = fields.Selection(
        STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    # Reporting
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="An open action is past its deadline, or the effectiveness check is past due.",
    )
    cycle_time_days = fields.Float(
        string="Cycle Time (Days)",
        compute="_compute_cycle_time_days",
        store=True,
        aggregator="avg",
        help="Days from the opening to the closing of the CAPA.",
    )

    @api.model
    def _selection_origin_ref(self):
        """Every model that can raise a CAPA (those inheriting capa.origin.mixin)."""
        names = self.env["capa.origin.mixin"]._inherit_children
        return sorted(
            (name, self.env[name]._description)
            for name in names
            if name in self.env and not self.env[name]._abstract
        )

    @api.depends("name", "title")
    def _compute_display_name(self):
        for capa in self:
            capa.display_name = f"{capa.name} {capa.title}" if capa.title else capa.name

    @api.depends("severity")
    def _compute_color(self):
        for capa in self:
            capa.color = SEVERITY_COLORS.get(capa.severity, 0)

    @api.depends("action_ids.action_type", "action_ids.state")
    def _compute_action_counts(self):
        for capa in self:
            live = capa.action_ids.filtered(lambda a: a.state != "cancelled")
            capa.corrective_action_count = len(live.filtered(lambda a: a.action_type == "corrective"))
            capa.preventive_action_count = len(live.filtered(lambda a: a.action_type == "preventive"))
            capa.open_action_count = len(live.filtered(lambda a: a.state == "open"))

    def _overdue_domain(self):
        today = fields.Date.context_today(self)
        return [
            ("state", "in", OPEN_STATES),
            "|",
            ("action_ids", "any", [("state", "=", "open"), ("date_deadline", "<", today)]),
            "&",
            ("effectiveness_result", "=", "pending"),
            ("effectiveness_deadline", "<", today),
        ]

    @api.depends("state", "action_ids.state", "action_ids.date_deadline", "effectiveness_deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for capa in self:
            capa.is_overdue = capa.state in OPEN_STATES and (
                any(action.state == "open" and action.date_deadline < today for action in capa.action_ids)
                or bool(
                    capa.effectiveness_result == "pending"
                    and capa.effectiveness_deadline
                    and capa.effectiveness_deadline < today
                )
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search on “Overdue” with “is set” or “is not set” only."))
        positive = (operator == "=") == value
        return self._overdue_domain() if positive else ["!", *self._overdue_domain()]

    @api.depends("date_closed")
    def _compute_cycle_time_days(self):
        for capa in self:
            if capa.date_closed and capa.create_date:
                capa.cycle_time_days = (capa.date_closed - capa.create_date).total_seconds() / 86400
            else:
                capa.cycle_time_days = 0.0

    # --- Integrity ----------------------------------------------------------------------------
    @api.constrains("effectiveness_deadline")
    def _check_effectiveness_deadline(self):
        for capa in self:
            opened = fields.Date.to_date(capa.create_date or fields.Datetime.now())
            if capa.effectiveness_deadline and capa.effectiveness_deadline < opened:
                raise ValidationError(
                    self.env._(
                        "The effectiveness check of %(capa)s is due on %(deadline)s, before the CAPA was"
                        " opened (%(opened)s). Choose a date on or after %(opened)s.",
                        capa=capa.name,
                        deadline=capa.effectiveness_deadline,
                        opened=opened,
                    )
                )

    @api.constrains("effectiveness_result", "state")
    def _check_effectiveness_result(self):
        for capa in self:
            # "Not effective" stays visible after the failed check sent the CAPA back.
            if capa.effectiveness_result == "effective" and capa.state in PLANNING_STATES:
                raise ValidationError(
                    self.env._(
                        "The effectiveness of %(capa)s can only be judged during its verification; it is"
                        " in %(state)s. Finish the action plan and start the verification first.",
                        capa=capa.name,
                        state=capa._state_label(),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        kept = self.filtered(lambda c: c.state != "draft")
        if kept:
            raise UserError(
                self.env._(
                    "%(capas)s cannot be deleted: a CAPA is a quality record that must be kept. Cancel it"
                    " instead (only drafts can be deleted).",
                    capas=", ".join(kept.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("capa.record") or self.env._("New")
        capas = super().create(vals_list)
        capas._add_lot_products()
        return capas

    def write(self, vals):
        # A failed effectiveness check sends the CAPA back to investigation.
        failing = self.browse()
        if vals.get("effectiveness_result") == "not_effective":
            failing = self.filtered(lambda c: c.state == "verification")
        result = super().write(vals)
        if failing:
            failing._write_decision({"state": "investigation"})
            for capa in failing:
                capa.message_post(
                    body=self.env._("The effectiveness check failed: the CAPA goes back to investigation."),
                    subtype_xmlid="mail.mt_note",
                )
        if "lot_ids" in vals or "product_ids" in vals:
            self._add_lot_products()
        return result

    def _add_lot_products(self):
        """The products of the lots belong to the CAPA's products."""
        for capa in self:
            missing = capa.lot_ids.product_id - capa.product_ids
            if missing:
                capa.product_ids = [fields.Command.link(product.id) for product in missing]

    @api.onchange("lot_ids")
    def _onchange_lot_ids(self):
        self.product_ids |= self.lot_ids.product_id

    # --- Workflow -----------------------------------------------------------------------------
    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_state(self, allowed, message):
        """Refuse the transition for records not in ``allowed``; ``message`` names the capa/state."""
        for capa in self:
            if capa.state not in allowed:
                raise UserError(message % {"capa": capa.name, "state": capa._state_label()})

    def _check_quality_manager(self, what):
        if not self.env.user.has_group("capa.group_quality_manager"):
            raise AccessError(
                self.env._(
                    "Only a quality manager can %(what)s a CAPA (%(capas)s). Ask your quality manager.",
                    what=what,
                    capas=", ".join(self.mapped("name")),
                )
            )

    def _decision_fields(self):
        return super()._decision_fields() | {"state", "date_closed"}

    def action_start_investigation(self):
        self._check_state(
            ("draft",),
            self.env._("%(capa)s is in %(state)s: only a draft CAPA can start its investigation."),
        )
        self._write_decision({"state": "investigation"})
        return True

    def action_start_implementation(self):
        self._check_state(
            ("investigation",),
            self.env._("%(capa)s is in %(state)s: a CAPA moves to implementation from its investigation."),
        )
        for capa in self:
            missing = []
            if is_html_empty(capa.root_cause):
                missing.append(self.env._("the root cause (Investigation tab)"))
            if not capa.corrective_action_count:
                missing.append(self.env._("at least one corrective action (Action Plan tab)"))
            if missing:
                raise UserError(
                    self.env._(
                        "%(capa)s cannot move to implementation yet. Fill in %(missing)s.",
                        capa=capa.name,
                        missing=self.env._(" and ").join(missing),
                    )
                )
        self._write_decision({"state": "implementation"})
        return True

    def action_start_verification(self):
        self._check_state(
            ("implementation",),
            self.env._("%(capa)s is in %(state)s: a CAPA is verified once its actions are implemented."),
        )
        for capa in self:
            still_open = capa.action_ids.filtered(lambda a: a.state == "open")
            if still_open:
                raise UserError(
                    self.env._(
                        "%(capa)s cannot be verified yet: these actions are still open: %(actions)s."
                        " Mark them done or cancel them first.",
                        capa=capa.name,
                        actions=", ".join(still_open.mapped("name")),
                    )
                )
        self._write_decision({"state": "verification", "effectiveness_result": "pending"})
        return True

    def action_mark_effective(self):
        self._check_state(
            ("verification",),
            self.env._("%(capa)s is in %(state)s: effectiveness is judged during verification."),
        )
        self.write({"effectiveness_result": "effective"})
        return True

    def action_mark_not_effective(self):
        self._check_state(
            ("verification",),
            self.env._("%(capa)s is in %(state)s: effectiveness is judged during verification."),
        )
        self.write({"effectiveness_result": "not_effective"})
        return True

    def action_close(self):
        self._check_closable()
        self._write_decision({"state": "closed", "date_closed": fields.Datetime.now()})
        return True

    def _check_closable(self):
        """Refuse, saying what is missing, when these CAPAs cannot be closed now."""
        self._check_quality_manager(self.env._("close"))
        self._check_state(
            ("verification",),
            self.env._(
                "%(capa)s is in %(state)s and cannot be closed: a CAPA is closed after its actions are"
                " implemented and their effectiveness is verified."
            ),
        )
        for capa in self:
            if capa.effectiveness_result != "effective":
                raise UserError(
                    self.env._(
                        "%(capa)s cannot be closed: its effectiveness check is not “Effective”. Record"
                        " the result of the check first (Verification tab).",
                        capa=capa.name,
                    )
                )

    def action_cancel(self):
        self._check_quality_manager(self.env._("cancel"))
        self._check_state(OPEN_STATES, self.env._("%(capa)s is in %(state)s and cannot be cancelled."))
        self.action_ids.filtered(lambda a: a.state == "open").action_cancel()
        self._write_decision({"state": "cancelled"})
        return True

    def action_reopen(self):
        self._check_quality_manager(self.env._("reopen"))
        self._check_state(
            ("closed", "cancelled"),
            self.env._("%(capa)s is in %(state)s: only closed or cancelled CAPAs are reopened."),
        )
        self._write_decision(
            {"state": "investigation", "date_closed": False, "effectiveness_result": "pending"}
        )
        for capa in self:
            capa.message_post(
                body=self.env._("CAPA reopened for investigation."), subtype_xmlid="mail.mt_note"
            )
        return True

    def _overdue_actions_summary(self, actions):
        """Chatter message listing overdue actions."""
        items = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(action)s (owner: %(owner)s, due %(deadline)s)",
                action=action.name,
                owner=action.user_id.name,
                deadline=action.date_deadline,
            )
            for action in actions
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (self.env._("These actions are overdue:"), items)
