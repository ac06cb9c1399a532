# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import RecallCase, decide


@tagged("post_install", "-at_install")
class TestRecallWorkflow(RecallCase):
    def test_sequence_and_levels(self):
        event = self.new_event()
        self.assertRegex(event.name, r"^RC/\d{4}/\d{5}$")
        levels = [self.env.ref(f"recall_management.recall_level_{n}") for n in (1, 2, 3)]
        self.assertEqual([level.notify_within_hours for level in levels], [24, 72, 168])
        self.assertEqual([level.report_every_days for level in levels], [1, 3, 7])
        with self.assertRefused(ValidationError, "must be positive"):
            levels[0].notify_within_hours = 0

    def test_full_cycle(self):
        event = self.new_event()
        self.assertEqual(event.state, "draft")
        event.action_submit()
        self.assertEqual(event.state, "assessment")
        before = fields.Datetime.now()
        decide(event.with_user(self.quality_manager), "action_approve")
        self.assertEqual(event.state, "approved")
        self.assertEqual(event.approved_by_id, self.quality_manager)
        # Level II: notify within 72 hours of the approval, report every 3 days.
        self.assertEqual(event.date_notify_deadline, event.date_approved + timedelta(hours=72))
        self.assertEqual(event.date_next_report, event.date_approved + timedelta(days=3))
        self.assertGreaterEqual(event.date_approved, before.replace(microsecond=0))
        event.action_start()
        self.assertEqual(event.state, "in_progress")
        self.assertTrue(event.date_traced)
        self.assertTrue(self.lot.is_quarantined)
        self.assertEqual(len(event.notice_ids), 3)
        self.assertEqual(set(event.notice_ids.mapped("state")), {"draft"})

    def test_only_managers_approve_close_cancel(self):
        event = self.new_event()
        event.action_submit()
        with self.assertRefused(AccessError, "Only a quality manager can approve"):
            event.action_approve()
        decide(event.with_user(self.quality_manager), "action_approve")
        event.action_start()
        event.cancel_reason = "Supplier withdrew its notice"
        with self.assertRefused(AccessError, "Only a quality manager can cancel"):
            event.action_cancel()
        with self.assertRefused(AccessError, "Only a quality manager can close"):
            event.action_close()

    def test_bad_input_is_refused_and_changes_nothing(self):
        event = self.new_event(lines=[])
        with self.assertRefused(UserError, "has no products or lots in its scope"):
            event.action_submit()
        self.assertEqual(event.state, "draft")
        untracked = self.env["product.product"].create({"name": "Loose Cotton", "is_storable": True})
        with self.assertRefused(ValidationError, "not tracked by lots"):
            event.write({"line_ids": [Command.create({"product_id": untracked.id})]})
        self.assertFalse(event.line_ids)
        event = self.new_event(level_id=False)
        event.action_submit()
        with self.assertRefused(UserError, "Choose the level"):
            event.with_user(self.quality_manager).action_approve()
        self.assertEqual(event.state, "assessment")
        self.assertFalse(event.date_approved)
        with self.assertRefused(UserError, "a recall starts once it is approved"):
            event.action_start()
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.env["recall.cost"].create({"event_id": event.id, "cost_type": "logistics", "amount": -10})
        self.assertFalse(event.cost_ids)
        with self.assertRefused(ValidationError, "end of the receipt date range is before its start"):
            event.line_ids.write({"lot_id": False, "date_from": "2026-02-01", "date_to": "2026-01-01"})

    def test_close_needs_answers_capa_summary_lessons(self):
        event = self.started_event()
        manager_event = event.with_user(self.quality_manager)
        with self.assertRefused(UserError, "3 notice\\(s\\) are not acknowledged"):
            manager_event.action_close()
        notices = event.notice_ids
        notices[0].close_reason = "Customer went out of business"
        notices[0].action_close()
        notices[1:].write({"state": "sent"})
        for notice in notices[1:]:
            notice._acknowledge(dict.fromkeys(notice.line_ids, (0, 0)))
        with self.assertRefused(UserError, "cannot be closed without a CAPA"):
            manager_event.action_close()
        capa = self.env["capa.record"].create(
            {
                "title": "Leaking bags",
                **{k[8:]: v for k, v in event._capa_default_values().items() if k != "default_lot_ids"},
            }
        )
        self.assertEqual(event.capa_ids, capa)
        self.assertEqual(capa.source_type, "recall")
        with self.assertRefused(UserError, "while its CAPA .* is open"):
            manager_event.action_close()
        event.capa_deferred_reason = (
            "Effectiveness is checked after the next two deliveries from the supplier."
        )
        with self.assertRefused(UserError, "without a summary and the lessons learned"):
            manager_event.action_close()
        event.write({"summary": "<p>All customers answered.</p>", "lessons_learned": "<p>Seal checks.</p>"})
        decide(manager_event, "action_close")
        self.assertEqual(event.state, "closed")
        # Closing does not release the stock: release stays a manager decision.
        self.assertTrue(self.lot.is_quarantined)
        self.assertEqual(self.qty(self.lot, self.warehouse.quarantine_location_id), 50)

    def test_notice_closed_without_answer_needs_a_reason(self):
        event = self.started_event()
        notice = event.notice_ids[0]
        with self.assertRefused(UserError, "say why it is closed"):
            notice.action_close()
        self.assertEqual(notice.state, "draft")

    def test_cancel_needs_reason_and_keeps_quarantine(self):
        event = self.started_event()
        with self.assertRefused(UserError, "Give the reason for cancelling"):
            event.with_user(self.quality_manager).action_cancel()
        event.cancel_reason = "Wrong lot number in the supplier's notice"
        event.with_user(self.quality_manager).action_cancel()
        self.assertEqual(event.state, "cancelled")
        self.assertEqual(set(event.notice_ids.mapped("state")), {"cancelled"})
        self.assertTrue(self.lot.is_quarantined)

    def test_deadline_cron_activities_and_breaches(self):
        event = self.new_event(level_id=self.env.ref("recall_management.recall_level_1").id)
        event.action_submit()
        decide(event.with_user(self.quality_manager), "action_approve")
        # Level I: notify within 24 hours, so the activity is raised at once.
        todo = event.activity_ids.filtered(lambda a: "Notify the customers" in a.summary)
        self.assertEqual(todo.user_id, self.quality_user)
        self.assertEqual(todo.date_deadline, fields.Date.to_date(event.date_notify_deadline))
        event.action_start()
        self.env["recall.event"]._cron_check_deadlines()
        self.assertFalse(event.is_deadline_breached)
        report_todo = event.activity_ids.filtered(lambda a: "Progress report" in a.summary)
        self.assertEqual(len(report_todo), 1, "level I reports every day: due within 24 hours")
        later = fields.Datetime.now() + timedelta(hours=30)
        with patch.object(fields.Datetime, "now", lambda *a, **k: later):
            self.env["recall.event"]._cron_check_deadlines()
        self.assertTrue(event.notify_deadline_breached)
        self.assertTrue(event.report_deadline_breached)
        self.assertIn(event, self.env["recall.event"].search([("is_deadline_breached", "=", True)]))
        self.assertIn("Deadline breached", event.message_ids[0].body)
        # Recording the progress report sets the next one and lifts that breach.
        event.action_record_progress_report()
        self.assertFalse(event.report_deadline_breached)
        self.assertGreater(event.date_next_report, fields.Datetime.now() + timedelta(hours=23))
        self.assertTrue(event.message_ids[0].attachment_ids)

    def test_deadline_met_is_not_breached(self):
        event = self.started_event()
        event.notice_ids.filtered(lambda n: not n.email).unlink()
        event.action_send_notices()
        later = fields.Datetime.now() + timedelta(hours=73)
        with patch.object(fields.Datetime, "now", lambda *a, **k: later):
            self.env["recall.event"]._cron_check_deadlines()
        self.assertFalse(event.notify_deadline_breached)
        self.assertTrue(event.report_deadline_breached, "the 3-day progress report is late")
