# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import RecallCase


@tagged("post_install", "-at_install")
class TestDrillRegister(RecallCase):
    """R11 and the recall form: drills are numbered apart from the register of real recalls, the
    Print menu offers the reports that fit the record, the form shows what is relevant."""

    def test_drills_have_their_own_numbers(self):
        real_before = self.env["ir.sequence"].search([("code", "=", "recall.event")]).number_next_actual
        notice_before = self.env["ir.sequence"].search([("code", "=", "recall.notice")]).number_next_actual
        drill = self.new_event(is_mock=True, level_id=False)
        drill.action_start()
        self.assertTrue(drill.name.startswith("DR/"), drill.name)
        self.assertTrue(drill.notice_ids)
        self.assertTrue(all(name.startswith("DN/") for name in drill.notice_ids.mapped("name")))
        # The real registers did not move: no gap in them.
        self.assertEqual(
            self.env["ir.sequence"].search([("code", "=", "recall.event")]).number_next_actual, real_before
        )
        self.assertEqual(
            self.env["ir.sequence"].search([("code", "=", "recall.notice")]).number_next_actual, notice_before
        )
        real = self.started_event()
        self.assertTrue(real.name.startswith("RC/"), real.name)
        self.assertTrue(all(name.startswith("RN/") for name in real.notice_ids.mapped("name")))
        # A drill created from the Mock Recalls menu (its default) is numbered as a drill too.
        action = self.env["ir.actions.act_window"]._for_xml_id("recall_management.recall_event_action_mock")
        from_menu = (
            self.env["recall.event"]
            .with_user(self.quality_user)
            .with_context(**eval(action["context"]))
            .create({"title": "Drill from the menu", "line_ids": [(0, 0, {"product_id": self.product.id})]})
        )
        self.assertTrue(from_menu.is_mock)
        self.assertTrue(from_menu.name.startswith("DR/"), from_menu.name)

    def test_a_numbered_recall_cannot_switch_register(self):
        real = self.new_event()
        drill = self.new_event(is_mock=True)
        with self.assertRefused(UserError, "cannot become a drill"):
            real.write({"is_mock": True})
        with self.assertRefused(UserError, "cannot become a drill"):
            drill.write({"is_mock": False})
        self.assertFalse(real.is_mock)
        self.assertTrue(drill.is_mock)
        real.write({"is_mock": False})  # unchanged: allowed

    def test_print_menu_offers_the_reports_that_fit(self):
        Report = self.env["ir.actions.report"]
        drill_report = self.env.ref("recall_management.action_report_recall_drill")
        progress = self.env.ref("recall_management.action_report_recall_progress")
        summary = self.env.ref("recall_management.action_report_recall_summary")
        plan = self.env.ref("recall_management.action_report_recall_plan")
        real = self.new_event()
        drill = self.new_event(is_mock=True)
        reports = drill_report | progress | summary | plan
        on_real = Report.browse(reports.get_valid_action_reports("recall.event", real.ids))
        on_drill = Report.browse(reports.get_valid_action_reports("recall.event", drill.ids))
        self.assertEqual(on_real, progress | summary | plan)
        self.assertEqual(on_drill, drill_report | plan)

    def test_form_shows_approver_and_closure_fields_when_relevant(self):
        arch = self.env["recall.event"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="approved_by_id"', arch)
        self.assertIn('name="approval_signature_id"', arch)
        event = self.started_event()
        self.assertFalse(event.capa_deferrable, "no CAPA yet: nothing to defer")
        capa_action = event.action_create_capa()
        capa = (
            self.env["capa.record"]
            .with_user(self.quality_user)
            .with_context(**capa_action["context"])
            .create({})
        )
        event.invalidate_recordset(["capa_ids", "capa_deferrable"])
        self.assertTrue(event.capa_deferrable, "open CAPA, recall in progress")
        drill = self.new_event(is_mock=True)
        self.assertFalse(drill.capa_deferrable)
        self.assertTrue(capa)

    def test_create_capa_carries_the_problem_and_lots(self):
        event = self.started_event()
        event.write({"description": "<p>Cracked cartridges found at goods-in.</p>"})
        context = event.action_create_capa()["context"]
        with Form(self.env["capa.record"].with_user(self.quality_user).with_context(**context)) as form:
            pass
        capa = form.record
        self.assertIn("Cracked cartridges found at goods-in.", str(capa.description))
        self.assertEqual(capa.lot_ids, event.lot_ids)
        self.assertEqual(capa.origin_ref, event)

    def test_cancel_asks_for_the_reason(self):
        event = self.started_event()
        with self.assertRaises(AccessError):
            event.with_user(self.quality_user).action_open_cancel()
        action = event.with_user(self.quality_manager).action_open_cancel()
        self.assertEqual(action["res_model"], "recall.event.cancel")
        wizard = (
            self.env["recall.event.cancel"]
            .with_user(self.quality_manager)
            .with_context(**action["context"])
            .create({"reason": "The supplier withdrew its notice."})
        )
        wizard.action_confirm()
        self.assertEqual(event.state, "cancelled")
        self.assertEqual(event.cancel_reason, "The supplier withdrew its notice.")
        # A quality user cannot cancel through the wizard either.
        other = self.started_event()
        with self.assertRaises(AccessError):
            self.env["recall.event.cancel"].with_user(self.quality_user).create(
                {"event_id": other.id, "reason": "no"}
            )
        self.assertEqual(other.state, "in_progress")
        with self.assertRefused(UserError, "cannot be cancelled"):
            event.with_user(self.quality_manager).action_open_cancel()
