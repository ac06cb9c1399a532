# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RecallCase, decide


@tagged("post_install", "-at_install")
class TestMockRecall(RecallCase):
    """R11: a drill traces and prepares notices, sends nothing, moves nothing, and is timed."""

    def test_drill_traces_and_prepares_notices_without_side_effects(self):
        moves_before = self.env["stock.move"].search_count([])
        mails_before = self.env["mail.mail"].search_count([])
        event = self.new_event(is_mock=True, level_id=False)
        event.action_start()
        self.assertEqual(event.state, "in_progress")
        self.assertGreater(event.time_to_trace_seconds, 0)
        self.assertEqual(event.qty_distributed, 40)
        self.assertEqual(len(event.notice_ids), 3)
        self.assertEqual(set(event.notice_ids.mapped("state")), {"draft"})
        self.assertFalse(self.lot.is_quarantined)
        self.assertEqual(self.env["stock.move"].search_count([]), moves_before)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)
        for action, message in (
            (event.action_send_notices, "does not send notices"),
            (event.action_quarantine, "does not quarantine stock"),
            (event.action_create_returns, "does not create returns"),
            (event.notice_ids[0].action_send, "does not send notices"),
        ):
            with self.assertRefused(UserError, message):
                action()
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)
        # A drill closes with its summary and lessons learned; no notice answers or CAPA needed.
        event.write(
            {"summary": "<p>Traced in seconds.</p>", "lessons_learned": "<p>Keep contacts current.</p>"}
        )
        decide(event.with_user(self.quality_manager), "action_close")
        self.assertEqual(event.state, "closed")

    def test_mock_and_real_recalls_are_kept_apart(self):
        real = self.started_event()
        mock = self.new_event(is_mock=True)
        mock.action_start()
        for xmlid, expected in (
            ("recall_management.recall_event_action", real),
            ("recall_management.recall_event_action_dashboard", real),
            ("recall_management.recall_event_action_mock", mock),
            ("recall_management.recall_event_action_dashboard_mock", mock),
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            found = self.env["recall.event"].search(eval(action["domain"]))
            self.assertIn(expected, found, xmlid)
            self.assertNotIn((real | mock) - expected, found, xmlid)
        # KPIs read by the dashboards: read_group on the real recalls only.
        groups = self.env["recall.event"].read_group(
            [("is_mock", "=", False), ("id", "in", (real | mock).ids)], ["qty_distributed:sum"], []
        )
        self.assertEqual(groups[0]["qty_distributed"], 40)
        self.assertEqual(self.lot.recall_count, 1, "the lot's Recalls button counts real recalls")
