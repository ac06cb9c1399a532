# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .capa_record import PLANNING_STATES


class CapaAction(models.Model):
    """One line of a CAPA's action plan: a corrective or preventive action with owner and deadline.

    Each open action has an activity on its CAPA for its owner (same deadline), kept in step when
    the owner or the deadline changes, marked done with the action and removed when it is cancelled.
    """

    _name = "capa.action"
    _description = "CAPA Action"
    _order = "date_deadline, id"
    _check_company_auto = True

    capa_id = fields.Many2one("capa.record", string="CAPA", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="capa_id.company_id", store=True, index=True)
    capa_state = fields.Selection(related="capa_id.state", string="CAPA Status")
    action_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")],
        string="Type",
        required=True,
        default="corrective",
    )
    name = fields.Char(string="Action", required=True)
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, check_company=True, default=lambda self: self.env.user
    )
    date_deadline = fields.Date(
        string="Deadline",
        required=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(days=14),
    )
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
        string="Status",
        required=True,
        default="open",
        readonly=True,
        copy=False,
    )
    result = fields.Text(help="What was done, and the evidence of it.")
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    activity_id = fields.Many2one("mail.activity", readonly=True, copy=False, ondelete="set null")
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    overdue_notified_on = fields.Date(
        readonly=True, copy=False, help="Last day the overdue action was escalated on its CAPA."
    )

    @api.depends("state", "date_deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = action.state == "open" and action.date_deadline < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search on “Overdue” with “is set” or “is not set” only."))
        domain = [("state", "=", "open"), ("date_deadline", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", *domain]

    # --- Integrity ----------------------------------------------------------------------------
    def _check_deadline_not_past(self):
        today = fields.Date.context_today(self)
        for action in self:
            if action.state == "open" and action.date_deadline < today:
                raise ValidationError(
                    self.env._(
                        "The deadline of action “%(action)s” (%(deadline)s) is in the past. Choose today"
                        " (%(today)s) or a later date.",
                        action=action.name,
                        deadline=action.date_deadline,
                        today=today,
                    )
                )

    def _check_capa_accepts_actions(self):
        for action in self:
            if action.capa_id.state not in PLANNING_STATES:
                raise ValidationError(
                    self.env._(
                        "%(capa)s is in %(state)s: its action plan can change only in draft, investigation or"
                        " implementation.",
                        capa=action.capa_id.name,
                        state=action.capa_id._state_label(),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_unstarted(self):
        for action in self:
            if action.state != "open" or action.capa_id.state not in ("draft", "investigation"):
                raise UserError(
                    self.env._(
                        "Action “%(action)s” of %(capa)s cannot be deleted once the plan is being carried"
                        " out; cancel it instead, so that the plan keeps its history.",
                        action=action.name,
                        capa=action.capa_id.name,
                    )
                )
        self.activity_id.unlink()

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._check_capa_accepts_actions()
        actions._check_deadline_not_past()
        actions._sync_activities()
        return actions

    def write(self, vals):
        if set(vals) & {"name", "action_type", "user_id", "date_deadline"}:
            self._check_capa_accepts_actions()
        result = super().write(vals)
        if "date_deadline" in vals:
            self._check_deadline_not_past()
        if set(vals) & {"name", "user_id", "date_deadline", "state"}:
            self._sync_activities()
        return result

    # --- Activities ---------------------------------------------------------------------------
    def _activity_values(self):
        self.ensure_one()
        return {
            "summary": self.name,
            "user_id": self.user_id.id,
            "date_deadline": self.date_deadline,
        }

    def _sync_activities(self):
        """Open actions have an activity for their owner with their deadline; others have none."""
        open_actions = self.filtered(lambda a: a.state == "open")
        # Activities marked done from the chatter are gone: recreate them while the action is open.
        to_create = open_actions.filtered(lambda a: not a.activity_id)
        for action in open_actions - to_create:
            action.activity_id.write(action._activity_values())
        if to_create:
            activity_type = self.env.ref("capa.mail_activity_type_capa_action")
            model = self.env["ir.model"]._get_id("capa.record")
            activities = self.env["mail.activity"].create(
                [
                    dict(
                        action._activity_values(),
                        res_model_id=model,
                        res_id=action.capa_id.id,
                        activity_type_id=activity_type.id,
                    )
                    for action in to_create
                ]
            )
            for action, activity in zip(to_create, activities, strict=True):
                action.activity_id = activity
        closed = self - open_actions
        done = closed.filtered(lambda a: a.state == "done" and a.activity_id)
        if done:
            done.activity_id.action_feedback(feedback=self.env._("Action done."))
        closed.filtered(lambda a: a.state == "cancelled").activity_id.unlink()

    # --- Actions ------------------------------------------------------------------------------
    def action_done(self):
        for action in self:
            if action.state != "open":
                raise UserError(self.env._("Action “%(action)s” is not open.", action=action.name))
            if not (action.result or "").strip():
                raise UserError(
                    self.env._(
                        "Describe the result of action “%(action)s” before marking it done: it is the"
                        " evidence the verification relies on.",
                        action=action.name,
                    )
                )
        self.write({"state": "done", "date_done": fields.Date.context_today(self)})
        return True

    def action_cancel(self):
        self.filtered(lambda a: a.state == "open").write({"state": "cancelled"})
        return True

    # --- Escalation ---------------------------------------------------------------------------
    @api.model
    def _cron_escalate_overdue_actions(self):
        """Daily: post each CAPA's overdue actions on it and notify their owners, once a day."""
        today = fields.Date.context_today(self)
        overdue = self.search(
            [
                ("state", "=", "open"),
                ("date_deadline", "<", today),
                ("capa_id.state", "in", PLANNING_STATES),
                "|",
                ("overdue_notified_on", "=", False),
                ("overdue_notified_on", "<", today),
            ]
        )
        for capa, actions in overdue.grouped("capa_id").items():
            capa.message_post(
                body=capa._overdue_actions_summary(actions),
                partner_ids=actions.user_id.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        overdue.write({"overdue_notified_on": today})
        return len(overdue)
