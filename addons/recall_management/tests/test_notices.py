# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import RecallCase, load_chinese


@tagged("post_install", "-at_install")
class TestRecallNotices(RecallCase, MockEmail):
    def notice(self, event, partner):
        return event.notice_ids.filtered(lambda n: n.partner_id == partner)

    def test_one_notice_per_customer_net_of_returns(self):
        event = self.started_event()
        self.assertEqual(event.notice_ids.partner_id, self.customer_1 | self.customer_2 | self.customer_3)
        self.assertEqual(self.notice(event, self.customer_1).line_ids.qty_delivered, 15)
        self.assertEqual(self.notice(event, self.customer_2).line_ids.qty_delivered, 15)
        # Customer Three was delivered through its contact: one notice for the company.
        notice_3 = self.notice(event, self.customer_3)
        self.assertEqual(notice_3.line_ids.qty_delivered, 10)
        self.assertEqual(notice_3.line_ids.lot_id, self.lot)
        self.assertRegex(notice_3.name, r"^RN/\d{4}/\d{5}$")
        # Generating again changes nothing: draft notices are brought up to date, not duplicated.
        event.action_generate_notices()
        self.assertEqual(len(event.notice_ids), 3)

    def test_customer_returned_everything_gets_no_notice(self):
        self.move(self.customer_location, self.stock, 15, self.warehouse.in_type_id, self.customer_2)
        event = self.started_event()
        self.assertEqual(event.notice_ids.partner_id, self.customer_1 | self.customer_3)

    def test_phone_numbers_in_e164_and_invalid_ones_flagged(self):
        event = self.started_event()
        one, two, three = (self.notice(event, c) for c in (self.customer_1, self.customer_2, self.customer_3))
        self.assertEqual(one.phone_e164, "+861065529988")
        self.assertFalse(one.phone_invalid)
        self.assertEqual(three.phone_e164, "+33123456789")
        self.assertEqual(two.phone, "not a number", "an invalid number is kept")
        self.assertFalse(two.phone_e164)
        self.assertTrue(two.phone_invalid)

    def test_send_in_the_partner_language_with_portal_link_and_letter(self):
        load_chinese(self.env)
        self.customer_1.lang = "zh_CN"
        event = self.started_event()
        with self.mock_mail_gateway():
            event.action_send_notices()
        self.assertEqual(set(event.notice_ids.mapped("state")), {"sent"})
        self.assertTrue(all(event.notice_ids.mapped("date_sent")))
        self.assertEqual(event.notified_rate, 100)
        self.assertTrue(event.date_notified)
        mails = self.env["mail.mail"].search(
            [("model", "=", "recall.notice"), ("res_id", "in", event.notice_ids.ids)]
        )
        self.assertEqual(len(mails), 3)
        for notice in event.notice_ids:
            mail = mails.filtered(lambda m, n=notice: m.res_id == n.id)
            self.assertIn(
                f"/my/recall_notices/{notice.id}?access_token={notice.access_token}", mail.body_html
            )
            self.assertEqual(mail.email_to, notice.email)
            self.assertTrue(mail.recall_letter_pending)
        chinese = mails.filtered(lambda m: m.res_id == self.notice(event, self.customer_1).id)
        english = mails.filtered(lambda m: m.res_id == self.notice(event, self.customer_2).id)
        self.assertIn("召回", chinese.subject)
        self.assertIn("Product recall", english.subject)
        self.assertIn("确认召回通知", chinese.body_html)
        self.assertIn("Acknowledge the recall notice", english.body_html)
        self.assertNotIn("召回", english.body_html)
        # The mail template renders the same body through Odoo's usual path (composer, resend).
        notice = event.notice_ids[0]
        template = self.env.ref("recall_management.mail_template_recall_notice")
        body = template._render_field("body_html", notice.ids)[notice.id]
        self.assertIn(f"/my/recall_notices/{notice.id}?access_token={notice.access_token}", body)
        # The queue attaches the PDF letter when it sends the mail.
        with self.mock_mail_gateway():
            mails.send()
        for mail in mails:
            self.assertFalse(mail.recall_letter_pending)
            self.assertEqual(len(mail.attachment_ids), 1)
            self.assertTrue(mail.attachment_ids.name.endswith(".pdf"))
            self.assertEqual(mail.attachment_ids.res_model, "recall.notice")

    def test_send_refuses_notices_without_email(self):
        event = self.started_event()
        self.notice(event, self.customer_2).email = False
        with self.assertRefused(UserError, "No e-mail address for Customer Two"):
            event.action_send_notices()
        self.assertEqual(set(event.notice_ids.mapped("state")), {"draft"})

    def test_reminders_to_non_responders_at_the_level_rhythm(self):
        event = self.started_event()
        with self.mock_mail_gateway():
            event.action_send_notices()
        answered = self.notice(event, self.customer_1)
        answered._acknowledge({answered.line_ids: (5, 5)})
        Notice = self.env["recall.notice"]
        self.assertFalse(Notice._cron_send_reminders() & event.notice_ids, "level II: nothing before 3 days")
        later = fields.Datetime.now() + timedelta(days=3, minutes=1)
        with patch.object(fields.Datetime, "now", lambda *a, **k: later), self.mock_mail_gateway():
            reminded = Notice._cron_send_reminders() & event.notice_ids
        self.assertEqual(reminded, event.notice_ids - answered)
        self.assertEqual(reminded.mapped("reminder_count"), [1, 1])
        self.assertEqual(answered.reminder_count, 0)
        reminders = self.env["mail.mail"].search(
            [
                ("model", "=", "recall.notice"),
                ("res_id", "in", event.notice_ids.ids),
                ("subject", "ilike", "Reminder"),
            ]
        )
        self.assertEqual(len(reminders), 2)
        with patch.object(fields.Datetime, "now", lambda *a, **k: later + timedelta(days=1)):
            self.assertFalse(
                Notice._cron_send_reminders() & event.notice_ids, "the next reminder waits another 3 days"
            )

    def test_acknowledge_by_phone_and_quantity_checks(self):
        event = self.started_event()
        with self.mock_mail_gateway():
            event.action_send_notices()
        notice = self.notice(event, self.customer_2)
        notice.line_ids.write({"qty_reported_on_hand": 20, "qty_to_return": 20})
        with self.assertRefused(UserError, "you received 15.0"):
            notice.action_mark_acknowledged()
        self.assertEqual(notice.state, "sent")
        notice.line_ids.write({"qty_reported_on_hand": 12, "qty_to_return": 12})
        notice.action_mark_acknowledged()
        self.assertEqual(notice.state, "acknowledged")
        self.assertEqual(notice.acknowledged_by, self.quality_user.name)
        self.assertAlmostEqual(event.acknowledged_rate, 100 / 3, places=2)
