# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CapaCase


@tagged("post_install", "-at_install")
class TestCapaAction(CapaCase):
    def test_activity_for_the_owner_with_the_deadline(self):
        capa = self.new_capa()
        action = self.new_action(capa, days=5)
        activity = action.activity_id
        self.assertEqual(activity.res_model, "capa.record")
        self.assertEqual(activity.res_id, capa.id)
        self.assertEqual(activity.user_id, self.quality_user)
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=5))
        self.assertEqual(activity.summary, "Retrain the receiving team")
        self.assertEqual(activity.activity_type_id, self.env.ref("capa.mail_activity_type_capa_action"))

    def test_activity_follows_owner_and_deadline(self):
        capa = self.new_capa()
        action = self.new_action(capa)
        action.write({"user_id": self.quality_manager.id, "date_deadline": self.today + timedelta(days=30)})
        self.assertEqual(action.activity_id.user_id, self.quality_manager)
        self.assertEqual(action.activity_id.date_deadline, self.today + timedelta(days=30))
        self.assertEqual(len(capa.activity_ids), 1)

    def test_activity_recreated_when_marked_done_from_the_chatter(self):
        capa = self.new_capa()
        action = self.new_action(capa)
        action.activity_id.action_feedback(feedback="done from chatter")
        self.assertFalse(action.activity_id)
        action.date_deadline = self.today + timedelta(days=9)
        self.assertEqual(action.activity_id.date_deadline, self.today + timedelta(days=9))

    def test_done_and_cancelled_actions_leave_no_activity(self):
        capa = self.new_capa()
        done, cancelled = self.new_action(capa), self.new_action(capa, name="Second")
        with self.assertRefused(UserError, "Describe the result"):
            done.action_done()
        done.result = "Retrained, attendance sheet attached."
        done.action_done()
        cancelled.action_cancel()
        self.assertEqual((done.state, cancelled.state), ("done", "cancelled"))
        self.assertEqual(done.date_done, self.today)
        self.assertFalse(capa.activity_ids)
        self.assertTrue(capa.message_ids.filtered(lambda m: "Action done." in (m.body or "")))

    def test_past_deadline_on_a_new_action_is_refused(self):
        capa = self.new_capa()
        with self.assertRefused(ValidationError, r"deadline .* is in the past"):
            self.new_action(capa, days=-1)
        self.assertFalse(capa.action_ids)
        self.assertFalse(capa.activity_ids)

    def test_plan_frozen_after_implementation(self):
        capa = self.capa_in_verification()
        with self.assertRefused(ValidationError, "action plan can change only"):
            self.new_action(capa)
        with self.assertRefused(UserError, "cannot be deleted"):
            capa.action_ids.unlink()

    def test_daily_escalation_once_a_day(self):
        capa = self.new_capa()
        late = self.new_action(capa, days=1, name="Requalify the cold room")
        self.new_action(capa, days=30, name="Not late")
        other_capa = self.new_capa()
        self.new_action(other_capa, days=20, user_id=self.quality_manager.id)
        cron = self.env["capa.action"]._cron_escalate_overdue_actions

        def escalations(record):
            return record.message_ids.filtered(lambda m: "These actions are overdue" in (m.body or ""))

        self.assertEqual(cron(), 0)
        with freeze_time(self.today + timedelta(days=3)):
            self.assertEqual(cron(), 1)
            self.assertEqual(cron(), 0, "a second run the same day notifies nobody again")
        message = escalations(capa)
        self.assertEqual(len(message), 1)
        self.assertIn("Requalify the cold room", message.body)
        self.assertNotIn("Not late", message.body)
        self.assertEqual(message.partner_ids, late.user_id.partner_id)
        self.assertFalse(escalations(other_capa))
        with freeze_time(self.today + timedelta(days=4)):
            self.assertEqual(cron(), 1)
        self.assertEqual(len(escalations(capa)), 2)

    def test_escalation_cron_is_scheduled_daily(self):
        cron = self.env.ref("capa.ir_cron_capa_escalate_overdue_actions")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
