# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .common import RecallCase, decide


@tagged("post_install", "-at_install")
class TestRecallFollowUp(RecallCase):
    """The QA manager follows a recall from it: activities close when their work is done, the
    work posts to the recall's chatter and notifies its owner, KPIs are empty until measurable."""

    def notes_to_owner(self, event, text):
        """Notes on ``event`` containing ``text`` that notified its owner."""
        return self.env["mail.message"].search(
            [
                ("model", "=", "recall.event"),
                ("res_id", "=", event.id),
                ("body", "ilike", text),
                ("partner_ids", "in", event.user_id.partner_id.ids),
            ]
        )

    def level_1_event(self):
        event = self.new_event(level_id=self.env.ref("recall_management.recall_level_1").id)
        event.action_submit()
        decide(event.with_user(self.quality_manager), "action_approve")
        return event

    def test_notify_activity_done_once_every_customer_is_notified(self):
        event = self.level_1_event()
        notify_type = self.env.ref("recall_management.mail_activity_type_recall_notify")
        activity = event.activity_ids.filtered(lambda a: a.activity_type_id == notify_type)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, event.user_id)
        event.action_start()
        self.assertFalse(event.date_notified)
        first = event.notice_ids[0]
        first.with_user(self.quality_manager).action_send()
        self.assertIn(activity, event.activity_ids, "one customer of three notified: still to do")
        self.assertEqual(len(self.notes_to_owner(event, "1 notice(s) sent")), 1)
        event.with_user(self.quality_manager).action_send_notices()
        self.assertTrue(event.date_notified)
        self.assertFalse(activity.exists(), "done: the activity is closed")
        done = self.env["mail.message"].search(
            [
                ("model", "=", "recall.event"),
                ("res_id", "=", event.id),
                ("mail_activity_type_id", "=", notify_type.id),
            ]
        )
        self.assertEqual(len(done), 1, "kept in the chatter as a done activity")
        self.assertIn("Every customer of the recall was notified.", str(done.body))
        self.assertEqual(len(self.notes_to_owner(event, "2 notice(s) sent")), 1)
        # The owner sending the notices is not notified of their own work.
        other = self.level_1_event()
        other.action_start()
        other.action_send_notices()
        self.assertFalse(self.notes_to_owner(other, "notice(s) sent"))
        self.assertTrue(
            self.env["mail.message"].search(
                [
                    ("model", "=", "recall.event"),
                    ("res_id", "=", other.id),
                    ("body", "ilike", "3 notice(s) sent"),
                ]
            )
        )

    def test_report_activity_done_when_the_report_is_recorded(self):
        event = self.level_1_event()
        event.action_start()
        self.env["recall.event"]._cron_check_deadlines()
        report_type = self.env.ref("recall_management.mail_activity_type_recall_report")
        activity = event.activity_ids.filtered(lambda a: a.activity_type_id == report_type)
        self.assertEqual(len(activity), 1)
        event.action_record_progress_report()
        self.assertFalse(activity.exists())
        self.assertFalse(event.activity_ids.filtered(lambda a: a.activity_type_id == report_type))

    def test_reminders_returns_and_dispositions_reach_the_owner(self):
        event = self.started_event()
        event.with_user(self.quality_manager).action_send_notices()
        later = fields.Datetime.now() + timedelta(days=10)
        with patch.object(fields.Datetime, "now", lambda *a, **k: later):
            self.env["recall.notice"]._cron_send_reminders()
        self.assertEqual(len(self.notes_to_owner(event, "Reminder sent")), 1)
        first, *others = event.notice_ids
        # A customer answering on the portal (public user, by token): the recall's owner hears of it.
        public = self.env.ref("base.public_user")
        first.with_user(public).sudo()._acknowledge(
            {line: (line.qty_delivered, line.qty_delivered - 1) for line in first.line_ids}, name="Dr Wang"
        )
        note = self.notes_to_owner(event, "acknowledged notice")
        self.assertEqual(len(note), 1)
        self.assertIn("Dr Wang", note.body)
        self.assertIn(first.name, note.body)
        self.assertEqual(note.author_id, first.contact_id or first.partner_id)
        for notice in others:
            notice.with_user(self.quality_manager)._acknowledge(
                {line: (line.qty_delivered, line.qty_delivered - 1) for line in notice.line_ids}
            )
        self.assertEqual(len(self.notes_to_owner(event, "acknowledged notice")), 3)
        event.with_user(self.quality_manager).action_create_returns()
        returns = event.notice_ids.return_picking_ids
        self.assertEqual(len(returns), 3)
        note = self.notes_to_owner(event, "Return transfer(s) created")
        self.assertEqual(len(note), 1)
        self.assertTrue(all(name in note.body for name in returns.mapped("name")))
        quarantine = self.warehouse.quarantine_location_id
        disposition = self.env["recall.disposition"].create(
            {
                "event_id": event.id,
                "lot_id": self.lot.id,
                "quantity": 5,
                "location_id": quarantine.id,
                "action": "return_to_vendor",
            }
        )
        disposition.with_user(self.quality_manager).action_execute()
        self.assertEqual(disposition.state, "done")
        self.assertEqual(
            len(self.notes_to_owner(event, f"Disposition of lot {self.lot.name} carried out")), 1
        )

    def test_kpis_are_empty_until_measurable(self):
        event = self.new_event()
        for name in (
            "time_to_notify_hours",
            "notified_rate",
            "acknowledged_rate",
            "recovery_rate",
            "time_to_trace_seconds",
        ):
            self.assertIs(event[name], False, name)
        self.assertEqual(event.read(["time_to_notify_hours"])[0]["time_to_notify_hours"], False)
        self.assertFalse(event.notice_rates_measured, "the screens hide the notice rates")
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT time_to_notify_hours, notified_rate, recovery_rate FROM recall_event WHERE id = %s",
            [event.id],
        )
        self.assertEqual(self.env.cr.fetchone(), (None, None, None), "stored empty, not 0")
        measured = self.started_event()
        measured.action_send_notices()
        self.assertEqual(measured.notified_rate, 100)
        self.assertEqual(measured.acknowledged_rate, 0, "notified, nobody answered: a measured 0")
        self.assertTrue(measured.notice_rates_measured)
        self.assertIsNot(measured.time_to_notify_hours, False, "measured, even if 0 h")
        self.assertEqual(measured.recovery_rate, 0)
        # The dashboard's averages leave the unmeasured recall out.
        groups = self.env["recall.event"].read_group(
            [("id", "in", (event | measured).ids)], ["notified_rate:avg", "time_to_notify_hours:avg"], []
        )
        self.assertEqual(groups[0]["notified_rate"], 100)
        self.assertAlmostEqual(groups[0]["time_to_notify_hours"], measured.time_to_notify_hours, places=6)

    def test_screens_label_what_they_show(self):
        kanban = self.env["recall.event"].get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        self.assertIn('title="Notified"', kanban)
        self.assertIn('title="Acknowledged"', kanban)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recall_management.recall_event_action_dashboard"
        )
        self.assertEqual(action["view_mode"].split(",")[0], "graph")
        self.assertIn("'graph_measure': '__count'", action["context"])
        graph = self.env["recall.event"].get_views([(False, "graph")])["views"]["graph"]["arch"]
        self.assertIn('name="level_id"', graph)
        self.assertIn('name="state"', graph)
