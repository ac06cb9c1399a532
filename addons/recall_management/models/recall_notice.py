# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, formatLang

NOTICE_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("acknowledged", "Acknowledged"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]


class RecallNotice(models.Model):
    """A recall notice to one customer (commercial entity): the lots and quantities it received,
    what it reports on hand and sends back. Customers answer on the portal."""

    _name = "recall.notice"
    _description = "Recall Notice"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "event_id desc, partner_id"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id"]

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    event_id = fields.Many2one("recall.event", string="Recall", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="event_id.company_id", store=True, index=True)
    is_mock = fields.Boolean(related="event_id.is_mock", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The commercial entity that received the lots.",
    )
    contact_id = fields.Many2one("res.partner", tracking=True, help="Who receives the notice and is called.")
    email = fields.Char(tracking=True)
    phone = fields.Char(tracking=True, help="As given; see the E.164 number for calls.")
    phone_e164 = fields.Char(
        string="Phone (E.164)",
        compute="_compute_phone_e164",
        store=True,
        help="The phone number in international E.164 format, for follow-up calls.",
    )
    phone_invalid = fields.Boolean(
        string="Invalid Phone",
        compute="_compute_phone_e164",
        store=True,
        help="The number could not be read as a phone number of the contact's country: check it.",
    )
    line_ids = fields.One2many("recall.notice.line", "notice_id", string="Lots")
    state = fields.Selection(
        NOTICE_STATES, default="draft", required=True, readonly=True, copy=False, index=True, tracking=True
    )
    date_sent = fields.Datetime(string="Sent On", readonly=True, copy=False)
    date_acknowledged = fields.Datetime(string="Acknowledged On", readonly=True, copy=False, tracking=True)
    date_last_reminder = fields.Datetime(string="Last Reminder", readonly=True, copy=False)
    reminder_count = fields.Integer(readonly=True, copy=False)
    acknowledged_by = fields.Char(
        readonly=True, copy=False, tracking=True, help="The name given by the person who acknowledged."
    )
    acknowledgement_note = fields.Text(readonly=True, copy=False)
    close_reason = fields.Text(
        tracking=True,
        help="Why the notice is closed without an acknowledgement (e.g. the customer closed down).",
    )
    return_picking_ids = fields.One2many("stock.picking", "recall_notice_id", string="Returns")
    qty_delivered = fields.Float(compute="_compute_quantities", digits="Product Unit of Measure")
    qty_to_return = fields.Float(compute="_compute_quantities", digits="Product Unit of Measure")
    qty_returned = fields.Float(compute="_compute_quantities", digits="Product Unit of Measure")

    @api.model_create_multi
    def create(self, vals_list):
        new = self.env._("New")
        unnamed = [vals for vals in vals_list if not vals.get("name") or vals["name"] == new]
        if unnamed:
            # next_by_code() looks the sequence up again for every number: a recall of ten thousand
            # customers would spend seconds on it. Look each up once, as next_by_code() does. The
            # notices of drills have their own numbers: the register of real notices has no gaps.
            mock_events = set(
                self.env["recall.event"]
                .browse({vals["event_id"] for vals in unnamed if vals.get("event_id")})
                .filtered("is_mock")
                .ids
            )
            sequences = {}
            for vals in unnamed:
                code = "recall.notice.mock" if vals.get("event_id") in mock_events else "recall.notice"
                if code not in sequences:
                    sequences[code] = self.env["ir.sequence"].search(
                        [("code", "=", code), ("company_id", "in", [self.env.company.id, False])],
                        order="company_id",
                        limit=1,
                    )
                vals["name"] = sequences[code]._next() if sequences[code] else new
        return super().create(vals_list)

    @api.depends("phone", "contact_id.country_id", "partner_id.country_id")
    def _compute_phone_e164(self):
        for notice in self:
            if not notice.phone:
                notice.phone_e164 = False
                notice.phone_invalid = False
                continue
            country = (
                notice.contact_id.country_id or notice.partner_id.country_id or notice.company_id.country_id
            )
            formatted = notice._phone_format(number=notice.phone, country=country, force_format="E164")
            notice.phone_e164 = formatted or False
            notice.phone_invalid = not formatted

    @api.depends("line_ids.qty_delivered", "line_ids.qty_to_return", "line_ids.qty_returned")
    def _compute_quantities(self):
        for notice in self:
            notice.qty_delivered = sum(notice.line_ids.mapped("qty_delivered"))
            notice.qty_to_return = sum(notice.line_ids.mapped("qty_to_return"))
            notice.qty_returned = sum(notice.line_ids.mapped("qty_returned"))

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for notice in self:
            notice.access_url = f"/my/recall_notices/{notice.id}"
        return result

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Recall Notice %(name)s", name=self.name)

    def _mail_get_partner_fields(self, introspect_fields=False):
        return ["contact_id", "partner_id"]

    # --- Mails ---------------------------------------------------------------------------------
    def _notice_lang(self):
        """The language of the notice: its contact's, else its customer's, if installed."""
        self.ensure_one()
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        for lang in (self.contact_id.lang, self.partner_id.lang, self.company_id.partner_id.lang):
            if lang in installed:
                return lang
        return "en_US"

    def _ensure_access_tokens(self):
        """Portal tokens for the notices that have none, in one statement."""
        missing = self.filtered(lambda n: not n.access_token)
        if missing:
            self.env.cr.execute(
                "UPDATE recall_notice SET access_token = gen_random_uuid()::text"
                " WHERE id IN %s AND access_token IS NULL",
                (tuple(missing.ids),),
            )
            missing.invalidate_recordset(["access_token"])

    def _notice_mail_values(self):
        """Values of the notice mails, rendered in batch: the subject and sender from the mail
        template (inline expressions), the body from the QWeb view recall_notice_mail_body, which is
        compiled once (a mail template's body is compiled again for every record: ten thousand
        notices took minutes)."""
        template = self.env.ref("recall_management.mail_template_recall_notice")
        render = self.env["mail.render.mixin"]
        values = []
        for lang, notices in self.grouped(lambda n: n._notice_lang()).items():
            lang_template = template.with_context(lang=lang)
            subjects = lang_template._render_field("subject", notices.ids)
            senders = lang_template._render_field("email_from", notices.ids)
            bodies = render.with_context(lang=lang)._render_template_qweb_view(
                "recall_management.recall_notice_mail_body", "recall.notice", notices.ids
            )
            for notice in notices:
                body = bodies[notice.id]
                values.append(
                    {
                        "model": "recall.notice",
                        "res_id": notice.id,
                        "subject": subjects[notice.id],
                        "email_from": senders[notice.id] or self.env.user.email_formatted,
                        "email_to": notice.email,
                        "body_html": body,
                        "body": body,
                        "auto_delete": False,
                        "recall_letter_pending": True,
                    }
                )
        return values

    # --- Answers -------------------------------------------------------------------------------
    def _check_answer_quantities(self, answers):
        """Refuse an answer the customer cannot have meant, before anything is written: a quantity
        that is not a number or is negative, more on hand or to return than the customer received
        of the lot, or more to return than it still holds. Plain comparisons come first, as
        float_compare() rounds and rounding a huge number (1e308, infinity) overflows."""
        self.ensure_one()

        def above(quantity, limit, rounding):
            if quantity > limit + rounding:
                return True
            return float_compare(quantity, limit, precision_rounding=rounding) > 0

        def shown(quantity):
            return formatLang(self.env, quantity, dp="Product Unit of Measure")

        for line, (on_hand, to_return) in answers.items():
            rounding = line.uom_id.rounding or 0.01
            if any(math.isnan(quantity) for quantity in (on_hand, to_return)):
                raise UserError(
                    self.env._("Lot %(lot)s: give the quantities as numbers.", lot=line.lot_id.name)
                )
            if on_hand < 0 or to_return < 0:
                raise UserError(
                    self.env._("Quantities cannot be negative (lot %(lot)s).", lot=line.lot_id.name)
                )
            if above(on_hand, line.qty_delivered, rounding) or above(to_return, line.qty_delivered, rounding):
                raise UserError(
                    self.env._(
                        "Lot %(lot)s: you received %(delivered)s %(uom)s; the quantity on hand or to return"
                        " cannot be more than that.",
                        lot=line.lot_id.name,
                        delivered=shown(line.qty_delivered),
                        uom=line.uom_id.name,
                    )
                )
            if above(to_return, on_hand, rounding):
                raise UserError(
                    self.env._(
                        "Lot %(lot)s: you cannot return more than you still hold (%(to_return)s %(uom)s to"
                        " return, %(on_hand)s %(uom)s on hand).",
                        lot=line.lot_id.name,
                        to_return=shown(to_return),
                        on_hand=shown(on_hand),
                        uom=line.uom_id.name,
                    )
                )

    def _acknowledge(self, answers, name=None, note=None):
        """Record a customer's answer: ``answers`` maps notice lines to (quantity on hand, quantity
        to return). Used by the portal and by the quality team for answers given by phone."""
        self.ensure_one()
        if self.state not in ("sent", "acknowledged"):
            raise UserError(
                self.env._(
                    "Notice %(notice)s is %(state)s: only a sent notice can be acknowledged.",
                    notice=self.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[self.state],
                )
            )
        self._check_answer_quantities(answers)
        for line, (on_hand, to_return) in answers.items():
            if line.notice_id != self:
                raise UserError(self.env._("This lot is not part of notice %(notice)s.", notice=self.name))
            line._check_answer(on_hand, to_return)
        for line, (on_hand, to_return) in answers.items():
            line.write({"qty_reported_on_hand": on_hand, "qty_to_return": to_return})
        self.write(
            {
                "state": "acknowledged",
                "date_acknowledged": fields.Datetime.now(),
                "acknowledged_by": name or self.env.user.name,
                "acknowledgement_note": note or False,
            }
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        # The recall's owner hears of each answer on the recall (a customer answering on the
        # portal is its author).
        author = (self.contact_id or self.partner_id) if self.env.user._is_public() else None
        self.event_id._post_follow_up(
            self.env._(
                "%(customer)s acknowledged notice %(notice)s (answered by %(name)s); to return:"
                " %(to_return)s.",
                customer=self.partner_id.display_name,
                notice=self.name,
                name=self.acknowledged_by,
                to_return=", ".join(
                    self.env._(
                        "%(quantity)s %(uom)s of lot %(lot)s",
                        quantity=formatLang(self.env, to_return, dp="Product Unit of Measure"),
                        uom=line.uom_id.name,
                        lot=line.lot_id.name,
                    )
                    for line, (_on_hand, to_return) in answers.items()
                )
                or "0",
            ),
            author=author,
        )
        return True

    # --- Actions -------------------------------------------------------------------------------
    def action_send(self):
        return self.event_id._send_notices(self)

    def action_mark_acknowledged(self):
        """The customer answered by phone or letter: take the quantities entered on the lines."""
        for notice in self:
            notice._acknowledge(
                {line: (line.qty_reported_on_hand, line.qty_to_return) for line in notice.line_ids}
            )
        return True

    def action_close(self):
        for notice in self:
            if notice.state == "acknowledged":
                notice.state = "closed"
                continue
            if notice.state not in ("draft", "sent"):
                raise UserError(
                    self.env._("Notice %(notice)s is already closed or cancelled.", notice=notice.name)
                )
            if not (notice.close_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Notice %(notice)s to %(customer)s has not been acknowledged: say why it is closed"
                        " without an answer (Close Reason) before closing it.",
                        notice=notice.name,
                        customer=notice.partner_id.display_name,
                    )
                )
            notice.state = "closed"
        return True

    def action_cancel(self):
        if self.filtered(lambda n: n.state not in ("draft",)):
            raise UserError(
                self.env._("Only draft notices can be cancelled; close sent notices with a reason instead.")
            )
        self.write({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        self.filtered(lambda n: n.state == "cancelled").write({"state": "draft"})
        return True

    def action_preview_portal(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "new", "url": self.get_portal_url()}

    @api.constrains("state", "close_reason")
    def _check_close_reason(self):
        for notice in self:
            if (
                notice.state == "closed"
                and not notice.date_acknowledged
                and not (notice.close_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Notice %(notice)s is closed without an answer: give the reason.", notice=notice.name
                    )
                )

    # --- Reminders -------------------------------------------------------------------------------
    @api.model
    def _cron_send_reminders(self):
        """Remind customers who have not answered, at the rhythm of the recall's level."""
        now = fields.Datetime.now()
        notices = self.search(
            [
                ("state", "=", "sent"),
                ("event_id.state", "=", "in_progress"),
                ("event_id.is_mock", "=", False),
            ]
        )
        due = notices.filtered(
            lambda n: (
                (n.date_last_reminder or n.date_sent)
                + timedelta(days=n.event_id.level_id.report_every_days or 1)
                <= now
            )
        )
        if not due:
            return due
        template = self.env.ref("recall_management.mail_template_recall_notice_reminder")
        template.send_mail_batch(due.ids)
        for count, notices in due.grouped("reminder_count").items():
            notices.write({"reminder_count": count + 1, "date_last_reminder": now})
        for event, reminded in due.grouped("event_id").items():
            event._post_follow_up(
                self.env._(
                    "Reminder sent to the customers who have not answered: %(customers)s.",
                    customers=", ".join(reminded.partner_id.mapped("display_name")),
                )
            )
        return due
