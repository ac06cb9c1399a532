# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import time
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_is_zero, is_html_empty

from .kpi_float import KpiFloat
from .recall_trace_line import CUSTOMER_KINDS

STATES = [
    ("draft", "Draft"),
    ("assessment", "Assessment"),
    ("approved", "Approved"),
    ("in_progress", "In Progress"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("draft", "assessment", "approved", "in_progress")
SOURCE_TYPES = [
    ("internal_qc", "Internal Quality Control"),
    ("complaint", "Customer Complaint"),
    ("regulator", "Regulator Notice"),
    ("supplier", "Supplier Notice"),
    ("deviation", "Production Deviation"),
    ("other", "Other"),
]
# The owner's follow-up activities, each marked done by the work it asks for.
NOTIFY_ACTIVITY = "recall_management.mail_activity_type_recall_notify"
REPORT_ACTIVITY = "recall_management.mail_activity_type_recall_report"
FOLLOW_UP_ACTIVITIES = ["mail.mail_activity_data_todo", NOTIFY_ACTIVITY, REPORT_ACTIVITY]
# How far ahead of a deadline the owner gets an activity.
DEADLINE_WARNING = timedelta(hours=24)


class RecallEvent(models.Model):
    """A product recall, from its trigger to its closure."""

    _name = "recall.event"
    _description = "Recall"
    _inherit = ["mail.thread", "mail.activity.mixin", "capa.origin.mixin", "quality.decision.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title"]

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    title = fields.Char(required=True, tracking=True)
    description = fields.Html(string="Problem Description")
    source_type = fields.Selection(
        SOURCE_TYPES, string="Source", required=True, default="internal_qc", tracking=True
    )
    source_reference = fields.Char(
        help="Complaint, regulator notice or supplier letter that triggered the recall."
    )
    recall_type = fields.Selection(
        [("voluntary", "Voluntary"), ("ordered", "Ordered by the Regulator")],
        string="Type",
        required=True,
        default="voluntary",
        tracking=True,
    )
    level_id = fields.Many2one("recall.level", tracking=True, index=True)
    level_color = fields.Integer(related="level_id.color", string="Level Color")
    risk_assessment = fields.Html(help="The health hazard, who is exposed, and how likely harm is.")
    depth = fields.Selection(
        [("wholesale", "Wholesale"), ("retail", "Retail"), ("consumer", "Consumer")],
        required=True,
        default="wholesale",
        tracking=True,
        help="How far down the distribution chain the recall reaches.",
    )
    strategy = fields.Selection(
        [
            ("return", "Return"),
            ("replace", "Replace"),
            ("repair", "Repair"),
            ("refund", "Refund"),
            ("destroy", "Destroy"),
            ("correction", "Correction in Place"),
        ],
        required=True,
        default="return",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain=lambda self: [("groups_id", "in", self.env.ref("capa.group_quality_user").id)],
    )
    is_mock = fields.Boolean(
        string="Mock Recall",
        index=True,
        tracking=True,
        help="A drill: the trace and the notices are made and timed, nothing is sent and no stock moves.",
    )
    regulator_partner_id = fields.Many2one("res.partner", string="Regulator", check_company=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    line_ids = fields.One2many("recall.event.line", "event_id", string="Scope", copy=True)
    trace_line_ids = fields.One2many("recall.trace.line", "event_id", string="Trace")
    lot_ids = fields.Many2many(
        "stock.lot",
        "recall_event_stock_lot_rel",
        "event_id",
        "lot_id",
        string="Recalled Lots",
        readonly=True,
        copy=False,
        help="The lots in scope and the lots made from them, as found by the last trace.",
    )
    notice_ids = fields.One2many("recall.notice", "event_id", string="Notices")
    disposition_ids = fields.One2many("recall.disposition", "event_id", string="Dispositions")
    cost_ids = fields.One2many("recall.cost", "event_id", string="Costs")
    return_picking_ids = fields.One2many("stock.picking", "recall_event_id", string="Transfers")

    # Dates
    date_submitted = fields.Datetime(readonly=True, copy=False)
    date_approved = fields.Datetime(readonly=True, copy=False, tracking=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_started = fields.Datetime(readonly=True, copy=False)
    date_traced = fields.Datetime(string="Last Trace", readonly=True, copy=False)
    trace_stale = fields.Boolean(
        readonly=True, copy=False, default=True, help="The scope changed since the last trace."
    )
    date_notified = fields.Datetime(
        string="All Notified On",
        readonly=True,
        copy=False,
        help="When the last notice of the recall was sent.",
    )
    date_closed = fields.Datetime(readonly=True, copy=False, tracking=True)
    date_notify_deadline = fields.Datetime(
        string="Notify By",
        compute="_compute_date_notify_deadline",
        store=True,
        help="Approval time plus the level's notification deadline.",
    )
    date_next_report = fields.Datetime(
        string="Next Progress Report", readonly=True, copy=False, tracking=True
    )
    date_last_report = fields.Datetime(string="Last Progress Report", readonly=True, copy=False)
    notify_deadline_breached = fields.Boolean(readonly=True, copy=False)
    report_deadline_breached = fields.Boolean(readonly=True, copy=False)
    is_deadline_breached = fields.Boolean(
        string="Deadline Breached", compute="_compute_is_deadline_breached", store=True, index=True
    )
    notify_activity_for = fields.Datetime(readonly=True, copy=False)
    report_activity_for = fields.Datetime(readonly=True, copy=False)

    # Closure
    summary = fields.Html(help="What was done and what was recovered: the basis of the summary report.")
    lessons_learned = fields.Html()
    capa_deferred_reason = fields.Text(
        string="CAPA Deferred Because",
        tracking=True,
        help="Close the recall before its CAPA is closed only with a reason (e.g. the effectiveness check"
        " is months away).",
    )
    cancel_reason = fields.Text(tracking=True)
    capa_deferrable = fields.Boolean(
        string="CAPA May Be Deferred",
        compute="_compute_capa_deferrable",
        help="A real recall in progress whose CAPAs are all open: it may close only with a reason to wait.",
    )

    # KPIs (set by the trace, or computed from notices and costs)
    qty_distributed = fields.Float(
        string="Distributed",
        readonly=True,
        copy=False,
        digits="Product Unit of Measure",
        help="Delivered to customers, net of their returns, as found by the last trace.",
    )
    qty_on_hand = fields.Float(
        string="On Hand",
        readonly=True,
        copy=False,
        digits="Product Unit of Measure",
        help="In the company's own locations (quarantine included) and in transit, at the last trace.",
    )
    qty_recovered = fields.Float(
        string="Recovered", compute="_compute_recovery", store=True, digits="Product Unit of Measure"
    )
    # KPIs are empty until measurable (KpiFloat): nothing distributed, no notice, not yet notified.
    recovery_rate = KpiFloat(
        string="Recovered (%)", compute="_compute_recovery", store=True, aggregator="avg"
    )
    notified_rate = KpiFloat(
        string="Notified (%)", compute="_compute_notice_rates", store=True, aggregator="avg"
    )
    acknowledged_rate = KpiFloat(
        string="Acknowledged (%)", compute="_compute_notice_rates", store=True, aggregator="avg"
    )
    notice_rates_measured = fields.Boolean(
        compute="_compute_notice_rates_measured",
        help="The recall has notices: its notice rates mean something.",
    )
    time_to_trace_seconds = KpiFloat(
        string="Time to Trace (s)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Duration of the last trace.",
    )
    time_to_notify_hours = KpiFloat(
        string="Time to Notify (h)",
        compute="_compute_time_to_notify",
        store=True,
        aggregator="avg",
        help="From the approval (the start, for a mock recall) to the sending of the last notice.",
    )
    cost_total = fields.Monetary(compute="_compute_cost_total", store=True, aggregator="sum")

    # What the last trace found, by kind (recall.trace.line), in the products' units
    qty_received = fields.Float(
        string="Received from Suppliers",
        compute="_compute_trace_figures",
        digits="Product Unit of Measure",
        help="Received from suppliers, net of what was sent back to them.",
    )
    qty_delivered = fields.Float(
        string="Delivered to Customers",
        compute="_compute_trace_figures",
        digits="Product Unit of Measure",
        help="Delivered to customers, before their returns.",
    )
    qty_customer_returned = fields.Float(
        string="Returned by Customers",
        compute="_compute_trace_figures",
        digits="Product Unit of Measure",
    )
    qty_in_transit = fields.Float(
        string="In Transit", compute="_compute_trace_figures", digits="Product Unit of Measure"
    )
    trace_line_count = fields.Integer(compute="_compute_trace_figures")

    # Smart buttons
    lot_count = fields.Integer(compute="_compute_counts")
    notice_count = fields.Integer(compute="_compute_counts")
    return_count = fields.Integer(compute="_compute_counts")
    disposition_count = fields.Integer(compute="_compute_counts")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                # Drills have their own numbers: the register of real recalls has no gaps.
                # The drill flag as the record will get it (its value, else its default).
                mock = vals["is_mock"] if "is_mock" in vals else self.default_get(["is_mock"]).get("is_mock")
                code = "recall.event.mock" if mock else "recall.event"
                vals["name"] = self.env["ir.sequence"].next_by_code(code)
        return super().create(vals_list)

    def write(self, vals):
        # The recalled lots are found by the trace: a lot in or out of them is recalled or not, so
        # nobody writes them (see _write_traced_lots).
        if "lot_ids" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "The recalled lots of a recall are found by its trace: change its scope (Scope tab) and"
                    " trace it again."
                )
            )
        if "is_mock" in vals and self.filtered(lambda event: event.is_mock != bool(vals["is_mock"])):
            # Its number comes from the register of real recalls or from the drills' (see create).
            raise UserError(
                self.env._(
                    "A recall cannot become a drill, nor a drill a real recall: its number is in the"
                    " register it was created in. Create a new recall or drill instead."
                )
            )
        if "line_ids" in vals:
            vals = dict(vals, trace_stale=True)
        return super().write(vals)

    def _write_traced_lots(self, vals):
        """Write what the trace found (the recalled lots among them)."""
        # sudo: the recalled lots are refused to every user (see write); the trace found them.
        return self.sudo().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda e: e.state != "draft"):
            raise UserError(self.env._("Only draft recalls can be deleted; cancel the others."))

    # --- Computes ------------------------------------------------------------------------------
    @api.depends("date_approved", "level_id.notify_within_hours")
    def _compute_date_notify_deadline(self):
        for event in self:
            if event.date_approved and event.level_id:
                event.date_notify_deadline = event.date_approved + timedelta(
                    hours=event.level_id.notify_within_hours
                )
            else:
                event.date_notify_deadline = False

    @api.depends("notify_deadline_breached", "report_deadline_breached")
    def _compute_is_deadline_breached(self):
        for event in self:
            event.is_deadline_breached = event.notify_deadline_breached or event.report_deadline_breached

    @api.depends("notice_ids.line_ids.qty_returned", "qty_distributed")
    def _compute_recovery(self):
        for event in self:
            event.qty_recovered = sum(event.notice_ids.line_ids.mapped("qty_returned"))
            event.recovery_rate = (
                100.0 * event.qty_recovered / event.qty_distributed if event.qty_distributed > 0 else False
            )

    @api.depends("notice_ids.state")
    def _compute_notice_rates(self):
        for event in self:
            notices = event.notice_ids.filtered(lambda n: n.state != "cancelled")
            if not notices:
                event.notified_rate = event.acknowledged_rate = False
                continue
            sent = notices.filtered(lambda n: n.state in ("sent", "acknowledged", "closed"))
            acknowledged = notices.filtered(lambda n: n.date_acknowledged)
            event.notified_rate = 100.0 * len(sent) / len(notices)
            event.acknowledged_rate = 100.0 * len(acknowledged) / len(notices)

    @api.depends("notified_rate")
    def _compute_notice_rates_measured(self):
        # The screens cannot tell an empty rate from 0 % (their expressions read False as 0).
        for event in self:
            event.notice_rates_measured = event.notified_rate is not False

    @api.depends("date_notified", "date_approved", "date_started", "is_mock")
    def _compute_time_to_notify(self):
        for event in self:
            start = event.date_started if event.is_mock else event.date_approved
            if event.date_notified and start:
                event.time_to_notify_hours = (event.date_notified - start).total_seconds() / 3600.0
            else:
                event.time_to_notify_hours = False

    @api.depends("cost_ids.amount_company")
    def _compute_cost_total(self):
        for event in self:
            event.cost_total = sum(event.cost_ids.mapped("amount_company"))

    @api.depends("state", "is_mock")
    def _compute_capa_deferrable(self):
        for event in self:
            event.capa_deferrable = bool(
                event.state == "in_progress"
                and not event.is_mock
                and event.capa_ids
                and not event.capa_ids.filtered(lambda capa: capa.state == "closed")
            )

    @api.depends("trace_line_ids.kind", "trace_line_ids.quantity")
    def _compute_trace_figures(self):
        """The trace by kind, for all the recalls at once (one grouped query)."""
        figures = defaultdict(dict)
        counts = defaultdict(int)
        if self.ids:
            groups = self.env["recall.trace.line"]._read_group(
                [("event_id", "in", self.ids)], ["event_id", "kind"], ["quantity:sum", "__count"]
            )
            for event, kind, quantity, count in groups:
                figures[event.id][kind] = quantity
                counts[event.id] += count
        for event in self:
            by_kind = figures[event.id]
            event.qty_received = by_kind.get("supplier_receipt", 0.0)
            event.qty_delivered = by_kind.get("customer_delivery", 0.0)
            # Customer returns are signed negative in the trace (they cancel deliveries).
            event.qty_customer_returned = -by_kind.get("customer_return", 0.0)
            event.qty_in_transit = by_kind.get("in_transit", 0.0)
            event.trace_line_count = counts[event.id]

    def action_view_trace(self):
        """The trace as a list, pivot and graph, grouped by direction and kind."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("recall_management.recall_trace_line_action")
        action.update(
            name=self.env._("Trace of %(recall)s", recall=self.name),
            domain=[("event_id", "=", self.id)],
            context={"search_default_group_direction": 1, "search_default_group_kind": 1},
        )
        return action

    def _compute_counts(self):
        for event in self:
            event.lot_count = len(event.lot_ids)
            event.notice_count = len(event.notice_ids)
            event.return_count = len(event.return_picking_ids)
            event.disposition_count = len(event.disposition_ids)

    # --- capa.origin.mixin ---------------------------------------------------------------------
    def _capa_source_type(self):
        return "recall"

    def _capa_title(self):
        self.ensure_one()
        return self.env._("%(recall)s: %(title)s", recall=self.name, title=self.title)

    def _capa_products(self):
        return self.line_ids.product_id | self.lot_ids.product_id

    def _capa_lots(self):
        return self.lot_ids or self.line_ids.lot_id

    def _capa_description(self):
        # The recall's problem is where the CAPA starts.
        self.ensure_one()
        return self.description if not is_html_empty(self.description) else False

    # --- Checks --------------------------------------------------------------------------------
    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_state(self, allowed, message):
        """Refuse the transition for records not in ``allowed``; ``message`` names the recall/state."""
        for event in self:
            if event.state not in allowed:
                raise UserError(message % {"recall": event.name, "state": event._state_label()})

    def _check_quality_manager(self, what):
        if not (self.env.su or self.env.user.has_group("capa.group_quality_manager")):
            raise AccessError(
                self.env._(
                    "Only a quality manager can %(what)s a recall (%(recalls)s).",
                    what=what,
                    recalls=", ".join(self.mapped("name")),
                )
            )

    def _check_scope(self):
        for event in self:
            if not event.line_ids:
                raise UserError(
                    self.env._(
                        "%(recall)s has no products or lots in its scope: add what is recalled on the"
                        " Scope tab first.",
                        recall=event.name,
                    )
                )
            event.line_ids._check_scope()

    def _check_not_mock(self, what):
        for event in self:
            if event.is_mock:
                raise UserError(
                    self.env._(
                        "%(recall)s is a mock recall: it does not %(what)s. Mock recalls only trace and"
                        " prepare notices.",
                        recall=event.name,
                        what=what,
                    )
                )

    # --- Transitions ---------------------------------------------------------------------------
    def action_submit(self):
        self._check_state(("draft",), self.env._("%(recall)s is %(state)s: only a draft can be submitted."))
        self._check_scope()
        self._write_decision({"state": "assessment", "date_submitted": fields.Datetime.now()})
        return True

    def _check_scope_open(self):
        """The scope of an approved recall is frozen: its approval signed for it."""
        frozen = self.filtered(lambda event: event.state not in ("draft", "assessment"))
        if frozen and not self.env.su:
            raise UserError(
                self.env._(
                    "The scope of %(recalls)s was approved and is frozen: a recall covering other lots is"
                    " a new recall, created and approved on its own.",
                    recalls=", ".join(frozen.mapped("name")),
                )
            )

    def _decision_fields(self):
        return super()._decision_fields() | {"state", "approved_by_id", "date_approved", "date_closed"}

    def action_approve(self):
        self._check_can_approve()
        now = fields.Datetime.now()
        for event in self:
            event._write_decision(
                {
                    "state": "approved",
                    "date_approved": now,
                    "approved_by_id": self.env.uid,
                    "date_next_report": now + timedelta(days=event.level_id.report_every_days),
                }
            )
        self._schedule_deadline_activities()
        return True

    def _check_can_approve(self):
        """Refuse, saying what is missing, when these recalls cannot be approved now."""
        self._check_quality_manager(self.env._("approve"))
        self._check_state(
            ("assessment",),
            self.env._("%(recall)s is %(state)s: a recall is approved after its assessment."),
        )
        self._check_scope()
        for event in self:
            if not event.level_id:
                raise UserError(
                    self.env._(
                        "Choose the level of %(recall)s before approving it: the level sets the deadlines"
                        " for notifying customers and reporting progress.",
                        recall=event.name,
                    )
                )

    def action_start(self):
        """Put the recall in progress: trace (if the scope changed since the last trace), then for a
        real recall quarantine the lots, and prepare the notices. Mock recalls may start from draft."""
        for event in self:
            allowed = OPEN_STATES[:3] if event.is_mock else ("approved",)
            if event.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(recall)s is %(state)s: a recall starts once it is approved.",
                        recall=event.name,
                        state=event._state_label(),
                    )
                )
        self._check_scope()
        self._write_decision({"state": "in_progress", "date_started": fields.Datetime.now()})
        for event in self:
            if event.trace_stale or not event.date_traced:
                event.action_trace()
            if not event.is_mock:
                event.action_quarantine()
            event.action_generate_notices()
        return True

    def action_close(self):
        self._check_closable()
        self._write_decision({"state": "closed", "date_closed": fields.Datetime.now()})
        self.activity_unlink(FOLLOW_UP_ACTIVITIES)
        return True

    def _check_closable(self):
        """Refuse, saying what is missing, when these recalls cannot be closed now."""
        self._check_quality_manager(self.env._("close"))
        self._check_state(
            ("in_progress",), self.env._("%(recall)s is %(state)s: only a recall in progress can be closed.")
        )
        for event in self:
            event._check_can_close()

    def _check_can_close(self):
        self.ensure_one()
        if not self.is_mock:
            open_notices = self.notice_ids.filtered(lambda n: n.state in ("draft", "sent"))
            if open_notices:
                raise UserError(
                    self.env._(
                        "%(recall)s cannot be closed: %(count)s notice(s) are not acknowledged"
                        " (%(customers)s)."
                        " Get their answer, or close each notice with a reason.",
                        recall=self.name,
                        count=len(open_notices),
                        customers=", ".join(open_notices.partner_id.mapped("display_name")),
                    )
                )
            capas = self.capa_ids
            if not capas:
                raise UserError(
                    self.env._(
                        "%(recall)s cannot be closed without a CAPA: create one from the recall (CAPA"
                        " button) to deal with the root cause.",
                        recall=self.name,
                    )
                )
            if (
                not capas.filtered(lambda c: c.state == "closed")
                and not (self.capa_deferred_reason or "").strip()
            ):
                raise UserError(
                    self.env._(
                        "%(recall)s cannot be closed while its CAPA %(capa)s is open, unless you say why"
                        " the CAPA can wait (CAPA Deferred Because, Closure tab).",
                        recall=self.name,
                        capa=", ".join(capas.mapped("name")),
                    )
                )
        if is_html_empty(self.summary) or is_html_empty(self.lessons_learned):
            raise UserError(
                self.env._(
                    "%(recall)s cannot be closed without a summary and the lessons learned (Closure tab).",
                    recall=self.name,
                )
            )

    def action_cancel(self):
        self._check_quality_manager(self.env._("cancel"))
        self._check_state(OPEN_STATES, self.env._("%(recall)s is %(state)s and cannot be cancelled."))
        for event in self:
            if not (event.cancel_reason or "").strip():
                raise UserError(
                    self.env._("Give the reason for cancelling %(recall)s (Closure tab).", recall=event.name)
                )
        self.notice_ids.filtered(lambda n: n.state == "draft").write({"state": "cancelled"})
        self._write_decision({"state": "cancelled"})
        self.activity_unlink(FOLLOW_UP_ACTIVITIES)
        return True

    def action_open_cancel(self):
        """The Cancel button: asks for the reason (checks first who may cancel, and what)."""
        self.ensure_one()
        self._check_quality_manager(self.env._("cancel"))
        self._check_state(OPEN_STATES, self.env._("%(recall)s is %(state)s and cannot be cancelled."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel %(recall)s", recall=self.name),
            "res_model": "recall.event.cancel",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_event_id": self.id},
        }

    def action_reset_draft(self):
        self._check_state(
            ("assessment",), self.env._("%(recall)s is %(state)s: only an assessment goes back to draft.")
        )
        self._write_decision({"state": "draft"})
        return True

    # --- Work ----------------------------------------------------------------------------------
    def action_trace(self):
        """Trace the lots in scope, upstream and downstream, in one query (see recall.trace.line),
        and replace the trace lines. Records how long it took."""
        for event in self:
            if event.state in ("closed", "cancelled"):
                raise UserError(
                    self.env._(
                        "%(recall)s is closed or cancelled: its trace is kept as it is.", recall=event.name
                    )
                )
            event._check_scope()
            started = time.perf_counter()
            seeds = event.line_ids._lots()
            rows = self.env["recall.trace.line"]._trace_rows(seeds.ids)
            event.trace_line_ids.unlink()
            self.env["recall.trace.line"].create([dict(row, event_id=event.id) for row in rows])
            lots = seeds | self.env["stock.lot"].browse({row["lot_id"] for row in rows})
            customer = sum(row["quantity"] for row in rows if row["kind"] in CUSTOMER_KINDS)
            stock = sum(row["quantity"] for row in rows if row["kind"] in ("on_hand", "in_transit"))
            event._write_traced_lots(
                {
                    "lot_ids": [Command.set(lots.ids)],
                    "qty_distributed": customer,
                    "qty_on_hand": stock,
                    "date_traced": fields.Datetime.now(),
                    "trace_stale": False,
                    "time_to_trace_seconds": time.perf_counter() - started,
                }
            )
        return True

    def action_quarantine(self):
        """Quarantine every recalled lot through batch_expiry (one transfer per warehouse)."""
        self._check_not_mock(self.env._("quarantine stock"))
        for event in self:
            if event.state != "in_progress":
                raise UserError(
                    self.env._("Start %(recall)s before quarantining its lots.", recall=event.name)
                )
            lots = event.lot_ids.filtered(lambda lot: not lot.is_quarantined)
            if lots:
                pickings = lots._quarantine(
                    self.env._("Recall %(recall)s: %(title)s", recall=event.name, title=event.title)
                )
                pickings.write({"recall_event_id": event.id})
        return True

    def _customer_quantities(self):
        """{commercial partner: {lot: quantity delivered net of returns}} from the trace."""
        self.ensure_one()
        quantities = defaultdict(lambda: defaultdict(float))
        for line in self.trace_line_ids:
            if line.kind in CUSTOMER_KINDS and line.partner_id:
                quantities[line.partner_id.commercial_partner_id][line.lot_id] += line.quantity
        return quantities

    def action_generate_notices(self):
        """One notice per customer that received recalled lots, with the lots and the quantities it
        received net of its returns. Draft notices are brought up to date; customers who already
        have a sent notice keep it."""
        for event in self:
            if event.state != "in_progress":
                raise UserError(
                    self.env._("Start %(recall)s before preparing its notices.", recall=event.name)
                )
            if event.trace_stale or not event.date_traced:
                event.action_trace()
            existing = {n.partner_id: n for n in event.notice_ids if n.state != "cancelled"}
            create_vals = []
            for partner, lots in event._customer_quantities().items():
                lines = [
                    {"lot_id": lot.id, "product_id": lot.product_id.id, "qty_delivered": qty}
                    for lot, qty in lots.items()
                    if not float_is_zero(qty, precision_rounding=lot.product_id.uom_id.rounding) and qty > 0
                ]
                if not lines:
                    continue
                notice = existing.get(partner)
                if notice and notice.state != "draft":
                    continue
                if notice:
                    notice.line_ids = [Command.clear()] + [Command.create(vals) for vals in lines]
                    continue
                contact = event._notice_contact(partner)
                create_vals.append(
                    {
                        "event_id": event.id,
                        "partner_id": partner.id,
                        "contact_id": contact.id,
                        "email": contact.email or partner.email,
                        "phone": contact.phone or contact.mobile or partner.phone or partner.mobile,
                        "line_ids": [Command.create(vals) for vals in lines],
                    }
                )
            self.env["recall.notice"].with_context(mail_create_nolog=True, tracking_disable=True).create(
                create_vals
            )
        return True

    def _notice_contact(self, partner):
        """Who at ``partner`` receives the notice: the company itself when it has an e-mail
        address, else its first contact that has one."""
        if partner.email:
            return partner
        return partner.child_ids.filtered("email")[:1] or partner

    def action_send_notices(self):
        self._check_not_mock(self.env._("send notices"))
        return self._send_notices(self.notice_ids.filtered(lambda n: n.state == "draft"))

    def _send_notices(self, notices):
        """E-mail ``notices`` in each customer's language, with a portal link, as queued mails
        (recall.notice._notice_mail_values); the PDF letter is attached when the mail queue sends
        them (see mail.mail)."""
        if notices.event_id.filtered("is_mock"):
            notices.event_id.filtered("is_mock")._check_not_mock(self.env._("send notices"))
        if notices.event_id.filtered(lambda e: e.state != "in_progress"):
            raise UserError(self.env._("Notices are sent once the recall is in progress."))
        not_draft = notices.filtered(lambda n: n.state != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "Notices %(notices)s were already sent.", notices=", ".join(not_draft.mapped("name"))
                )
            )
        no_email = notices.filtered(lambda n: not n.email)
        if no_email:
            raise UserError(
                self.env._(
                    "No e-mail address for %(customers)s: add one on the notice (or call them and record"
                    " their answer) before sending.",
                    customers=", ".join(no_email.partner_id.mapped("display_name")),
                )
            )
        notices._ensure_access_tokens()
        self.env["mail.mail"].sudo().create(notices._notice_mail_values())  # sudo: mails are system records
        now = fields.Datetime.now()
        notices.write({"state": "sent", "date_sent": now})
        for event, sent in notices.grouped("event_id").items():
            event._post_follow_up(
                self.env._(
                    "%(count)s notice(s) sent: %(customers)s.",
                    count=len(sent),
                    customers=", ".join(sent.partner_id.mapped("display_name")),
                )
            )
            if not event.notice_ids.filtered(lambda n: n.state == "draft"):
                event.date_notified = now
                event.activity_feedback(
                    [NOTIFY_ACTIVITY], feedback=self.env._("Every customer of the recall was notified.")
                )
        return True

    def _regulator_report_second_lang(self):
        """The language the documents for the regulator (plan, progress, summary) also give their
        headings in: the recall owner's (the company's working language) when it is installed and
        not the language they are printed in (the regulator's, else the owner's), else False."""
        self.ensure_one()
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        owner_lang = self.user_id.partner_id.lang or self.env.user.lang
        document_lang = self.regulator_partner_id.lang or owner_lang
        if document_lang not in installed:
            document_lang = "en_US"
        return owner_lang if owner_lang in installed and owner_lang != document_lang else False

    def _post_follow_up(self, body, author=None):
        """Post ``body`` (text) on the recall's chatter as a note and notify its owner (unless the
        owner did it): the QA manager follows sending, reminders, answers, returns and
        dispositions from the recall."""
        self.ensure_one()
        owner = self.user_id.partner_id
        author = author or self.env.user.partner_id
        # sudo: a customer's answer (portal) or the scheduler posts on a recall they cannot write.
        self.sudo().message_post(
            body=body,
            author_id=author.id,
            partner_ids=(owner - author).ids,
            subtype_xmlid="mail.mt_note",
        )

    def action_create_returns(self):
        """Incoming return transfers into quarantine, one per acknowledged notice, for the quantities
        the customer said it will send back (less what is already on its way)."""
        self._check_not_mock(self.env._("create returns"))
        pickings = self.env["stock.picking"]
        for event in self:
            if event.state != "in_progress":
                raise UserError(self.env._("Start %(recall)s before creating returns.", recall=event.name))
            created = self.env["stock.picking"]
            for notice in event.notice_ids.filtered(lambda n: n.state == "acknowledged"):
                created |= event._create_return(notice)
            if created:
                event._post_follow_up(
                    self.env._(
                        "Return transfer(s) created: %(transfers)s.",
                        transfers=", ".join(created.mapped("name")),
                    )
                )
            pickings |= created
        if not pickings:
            raise UserError(
                self.env._(
                    "There is nothing to return yet: no acknowledged notice has quantities to return that"
                    " are not already on a return transfer."
                )
            )
        return self._action_open_pickings(pickings)

    def _create_return(self, notice):
        self.ensure_one()
        moves = []
        warehouse = self._return_warehouse(notice)
        warehouse._create_quarantine_setup()
        source = notice.partner_id.property_stock_customer
        destination = warehouse.quarantine_location_id
        for line in notice.line_ids:
            planned = sum(
                move.product_uom._compute_quantity(move.product_uom_qty, line.product_id.uom_id)
                for move in line.return_move_ids
                if move.state != "cancel"
            )
            quantity = line.qty_to_return - planned
            if float_is_zero(quantity, precision_rounding=line.uom_id.rounding) or quantity < 0:
                continue
            moves.append(
                Command.create(
                    {
                        "name": self.env._("Recall return %(recall)s", recall=self.name),
                        "product_id": line.product_id.id,
                        "product_uom": line.uom_id.id,
                        "product_uom_qty": quantity,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "recall_notice_line_id": line.id,
                        "move_line_ids": [
                            Command.create(
                                {
                                    "product_id": line.product_id.id,
                                    "product_uom_id": line.uom_id.id,
                                    "lot_id": line.lot_id.id,
                                    "location_id": source.id,
                                    "location_dest_id": destination.id,
                                    "quantity": quantity,
                                }
                            )
                        ],
                    }
                )
            )
        if not moves:
            return self.env["stock.picking"]
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "partner_id": notice.contact_id.id or notice.partner_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "origin": f"{self.name} / {notice.name}",
                "recall_event_id": self.id,
                "recall_notice_id": notice.id,
                "company_id": self.company_id.id,
                "move_ids": moves,
            }
        )
        picking.action_confirm()
        return picking

    def _return_warehouse(self, notice):
        """The warehouse that delivered the customer, else the company's first warehouse."""
        deliveries = self.trace_line_ids.filtered(
            lambda t: t.partner_id == notice.partner_id and t.kind == "customer_delivery" and t.picking_id
        )
        warehouse = deliveries[:1].picking_id.picking_type_id.warehouse_id
        return warehouse or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )

    def _rework_location(self, warehouse):
        """The warehouse's rework area: a quarantine sub-location, made the first time."""
        warehouse._create_quarantine_setup()
        parent = warehouse.quarantine_location_id
        # sudo: the rework area is the system's, made for whoever disposes of the stock first.
        Location = self.env["stock.location"].sudo()
        location = Location.search([("location_id", "=", parent.id), ("name", "=", "Rework")], limit=1)
        location = location or Location.create(
            {
                "name": "Rework",
                "location_id": parent.id,
                "usage": "internal",
                "company_id": warehouse.company_id.id,
            }
        )
        return location.sudo(False)

    def action_record_progress_report(self):
        """The progress report is sent to the regulator: attach it to the recall and set the next
        report date from the level's rhythm."""
        self._check_state(
            ("in_progress",),
            self.env._("%(recall)s is %(state)s: progress is reported while a recall is in progress."),
        )
        report = self.env.ref("recall_management.action_report_recall_progress")
        now = fields.Datetime.now()
        for event in self:
            pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(report, event.ids)
            name = self.env._(
                "Progress report %(recall)s %(date)s.pdf",
                recall=event.name,
                date=fields.Date.context_today(event),
            )
            event.activity_feedback(
                [REPORT_ACTIVITY], feedback=self.env._("The progress report was recorded.")
            )
            event.message_post(
                body=self.env._("Progress report recorded."),
                attachments=[(name, pdf)],
            )
            event.write(
                {
                    "date_last_report": now,
                    "date_next_report": now + timedelta(days=event.level_id.report_every_days or 1),
                    "report_deadline_breached": False,
                    "report_activity_for": False,
                }
            )
        return True

    # --- Deadlines -----------------------------------------------------------------------------
    @api.model
    def _cron_check_deadlines(self):
        """Raise an activity for the owner ahead of the notify deadline and of each progress report,
        mark breached deadlines, and send reminders to customers who have not answered."""
        events = self.search([("state", "in", ("approved", "in_progress")), ("is_mock", "=", False)])
        events._schedule_deadline_activities()
        now = fields.Datetime.now()
        for event in events:
            notify_breached = bool(
                event.date_notify_deadline
                and now > event.date_notify_deadline
                and (not event.date_notified or event.date_notified > event.date_notify_deadline)
            )
            report_breached = bool(
                event.date_next_report and now > event.date_next_report and event.state == "in_progress"
            )
            values = {}
            if notify_breached != event.notify_deadline_breached:
                values["notify_deadline_breached"] = notify_breached
            if report_breached != event.report_deadline_breached:
                values["report_deadline_breached"] = report_breached
            if values:
                event.write(values)
                if values.get("notify_deadline_breached") or values.get("report_deadline_breached"):
                    event.message_post(
                        body=self.env._("Deadline breached: %(what)s.", what=event._breached_label()),
                        subtype_xmlid="mail.mt_note",
                    )
        self.env["recall.notice"]._cron_send_reminders()
        return True

    def _breached_label(self):
        labels = []
        if self.notify_deadline_breached:
            labels.append(
                self.env._(
                    "customers were not all notified by %(date)s",
                    date=self._local_label(self.date_notify_deadline),
                )
            )
        if self.report_deadline_breached:
            labels.append(
                self.env._(
                    "the progress report due %(date)s was not recorded",
                    date=self._local_label(self.date_next_report),
                )
            )
        return "; ".join(labels)

    def _local_label(self, value):
        """A deadline as the company reads it: date, time and time zone."""
        local = self.company_id._local_datetime(value)
        return f"{local:%Y-%m-%d %H:%M} ({local.tzinfo.zone})"

    def _schedule_deadline_activities(self):
        now = fields.Datetime.now()
        notify_type = self.env.ref(NOTIFY_ACTIVITY)
        report_type = self.env.ref(REPORT_ACTIVITY)
        for event in self:
            deadline = event.date_notify_deadline
            if (
                deadline
                and not event.date_notified
                and event.notify_activity_for != deadline
                and deadline - DEADLINE_WARNING <= now
            ):
                event.activity_schedule(
                    activity_type_id=notify_type.id,
                    summary=self.env._("Notify the customers of %(recall)s", recall=event.name),
                    note=self.env._(
                        "The level of the recall requires every customer to be notified by %(date)s.",
                        date=event._local_label(deadline),
                    ),
                    date_deadline=event.company_id._local_datetime(deadline).date(),
                    user_id=event.user_id.id,
                )
                event.notify_activity_for = deadline
            report = event.date_next_report
            if (
                event.state == "in_progress"
                and report
                and event.report_activity_for != report
                and report - DEADLINE_WARNING <= now
            ):
                event.activity_schedule(
                    activity_type_id=report_type.id,
                    summary=self.env._("Progress report of %(recall)s due", recall=event.name),
                    note=self.env._(
                        "Send the progress report to the regulator by %(date)s, then record it on"
                        " the recall.",
                        date=event._local_label(report),
                    ),
                    date_deadline=event.company_id._local_datetime(report).date(),
                    user_id=event.user_id.id,
                )
                event.report_activity_for = report

    # --- Smart buttons -------------------------------------------------------------------------
    def _action_open_pickings(self, pickings):
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action.update(domain=[("id", "in", pickings.ids)], context={"create": False})
        if len(pickings) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=pickings.id)
        return action

    def action_view_lots(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_production_lot_form")
        action.update(domain=[("id", "in", self.lot_ids.ids)], context={"create": False})
        return action

    def action_view_notices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("recall_management.recall_notice_action")
        action.update(
            domain=[("event_id", "=", self.id)], context={"default_event_id": self.id, "create": False}
        )
        return action

    def action_view_returns(self):
        self.ensure_one()
        return self._action_open_pickings(self.return_picking_ids)

    def action_view_dispositions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("recall_management.recall_disposition_action")
        action.update(domain=[("event_id", "=", self.id)], context={"default_event_id": self.id})
        return action

    # --- Lot-release policy: what a recall in progress holds back --------------------------------
    @api.model
    def _blocking_events_by_lot(self, lots):
        """{lot: recall} for the lots under a real recall in progress, except lots a quality
        manager released through a Release disposition of that recall. One query for all the
        lots (the reservation asks for every move)."""
        if not lots:
            return {}
        self.env["recall.event"].flush_model(["state", "is_mock", "lot_ids"])
        self.env["recall.disposition"].flush_model(["event_id", "lot_id", "action", "state"])
        self.env.cr.execute(
            """
            SELECT rel.lot_id, MIN(event.id)
              FROM recall_event_stock_lot_rel rel
              JOIN recall_event event ON event.id = rel.event_id
             WHERE rel.lot_id = ANY(%s)
               AND event.state = 'in_progress'
               AND NOT COALESCE(event.is_mock, FALSE)
               AND NOT EXISTS (
                   SELECT 1 FROM recall_disposition disposition
                    WHERE disposition.event_id = event.id
                      AND disposition.lot_id = rel.lot_id
                      AND disposition.action = 'release'
                      AND disposition.state = 'done')
          GROUP BY rel.lot_id
            """,
            [list(lots.ids)],
        )
        rows = self.env.cr.fetchall()
        events = self.sudo().browse({event_id for _lot, event_id in rows})  # sudo: named to every user
        return {lots.browse(lot_id): events.browse(event_id) for lot_id, event_id in rows}

    @api.model
    def _blocking_events_by_product(self, products):
        """{product: recall} for the products recalled as a whole (every lot, whenever and from
        whomever received) by a real recall in progress."""
        if not products:
            return {}
        lines = (
            self.env["recall.event.line"]
            .sudo()
            .search(  # sudo: the block applies to every user, whatever they may read
                [
                    ("product_id", "in", products.ids),
                    ("lot_id", "=", False),
                    ("date_from", "=", False),
                    ("date_to", "=", False),
                    ("supplier_id", "=", False),
                    ("event_id.state", "=", "in_progress"),
                    ("event_id.is_mock", "=", False),
                ],
                order="id",
            )
        )
        result = {}
        for line in lines:
            result.setdefault(products.browse(line.product_id.id), line.event_id)
        return result

    @api.model
    def _blocked_lot_ids(self):
        """Ids of every lot a recall in progress holds back."""
        events = self.sudo().search([("state", "=", "in_progress"), ("is_mock", "=", False)])  # sudo: all
        return [lot.id for lot in self._blocking_events_by_lot(events.lot_ids)]
