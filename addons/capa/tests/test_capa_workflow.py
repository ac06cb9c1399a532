# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import re
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CapaCase, decide


@tagged("post_install", "-at_install")
class TestCapaWorkflow(CapaCase):
    def test_sequence_and_defaults(self):
        capa = self.new_capa()
        self.assertRegex(capa.name, rf"^CAPA/{self.today.year}/\d{{5}}$")
        self.assertEqual(capa.state, "draft")
        self.assertEqual(capa.user_id, self.quality_user)
        self.assertEqual(capa.company_id, self.company)
        self.assertEqual(capa.effectiveness_result, "pending")
        self.assertEqual(capa.display_name, f"{capa.name} Crushed blisters on receipt")

    def test_lots_bring_their_products(self):
        capa = self.new_capa(lot_ids=[(6, 0, self.lot_a.ids)])
        self.assertEqual(capa.product_ids, self.product)

    def test_full_cycle_to_closure(self):
        capa = self.new_capa(root_cause="<p>Pallets stacked too high in the van.</p>")
        self.flush_tracking()
        steps = [
            capa.action_start_investigation,
            lambda: self.new_action(capa, result="Team retrained.") and capa.action_start_implementation(),
            lambda: capa.action_ids.action_done() and capa.action_start_verification(),
            capa.action_mark_effective,
            lambda: decide(capa.with_user(self.quality_manager), "action_close"),
        ]
        for step in steps:
            step()
            self.flush_tracking()  # each click of the user is a transaction of its own
        self.assertEqual(capa.state, "closed")
        self.assertTrue(capa.date_closed)
        self.assertGreaterEqual(capa.cycle_time_days, 0.0)
        tracked = capa.sudo().message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(
            tracked.sorted("id").mapped("new_value_char"),
            ["Investigation", "Implementation", "Verification", "Closed"],
        )

    def test_implementation_needs_root_cause_and_corrective_action(self):
        capa = self.new_capa()
        capa.action_start_investigation()
        with self.assertRefused(UserError, r"root cause.*corrective action"):
            capa.action_start_implementation()
        capa.root_cause = "<p>Wrong shelf.</p>"
        self.new_action(capa, action_type="preventive")
        with self.assertRefused(UserError, "at least one corrective action"):
            capa.action_start_implementation()
        self.assertEqual(capa.state, "investigation")
        self.new_action(capa, action_type="corrective")
        capa.action_start_implementation()
        self.assertEqual(capa.state, "implementation")

    def test_empty_html_root_cause_is_no_root_cause(self):
        capa = self.new_capa(root_cause="<p><br></p>")
        capa.action_start_investigation()
        self.new_action(capa)
        with self.assertRefused(UserError, "root cause"):
            capa.action_start_implementation()

    def test_verification_needs_every_action_done_or_cancelled(self):
        capa = self.capa_in_implementation()
        extra = self.new_action(capa, name="Replace the van's shelves")
        with self.assertRefused(UserError, "Replace the van's shelves"):
            capa.action_start_verification()
        capa.action_ids.write({"result": "Done and photographed."})
        (capa.action_ids - extra).action_done()
        extra.action_cancel()
        capa.action_start_verification()
        self.assertEqual(capa.state, "verification")

    def test_closing_needs_effective_check_and_a_manager(self):
        capa = self.capa_in_verification()
        with self.assertRefused(UserError, "not “Effective”"):
            capa.with_user(self.quality_manager).action_close()
        capa.action_mark_effective()
        with self.assertRefused(AccessError, "Only a quality manager can close"):
            capa.action_close()
        self.assertEqual(capa.state, "verification")

    def test_closing_from_draft_is_refused(self):
        capa = self.new_capa()
        with self.assertRefused(UserError, r"is in Draft and cannot be closed"):
            capa.with_user(self.quality_manager).action_close()
        self.assertEqual(capa.state, "draft")
        self.assertFalse(capa.date_closed)

    def test_not_effective_goes_back_to_investigation_with_history(self):
        capa = self.capa_in_verification()
        self.flush_tracking()
        capa.action_mark_not_effective()
        self.flush_tracking()
        self.assertEqual(capa.state, "investigation")
        self.assertEqual(capa.effectiveness_result, "not_effective")
        notes = capa.message_ids.mapped("body")
        self.assertTrue(any("back to investigation" in body for body in notes))
        values = capa.sudo().message_ids.tracking_value_ids
        self.assertIn(("Pending", "Not Effective"), [(v.old_value_char, v.new_value_char) for v in values])
        self.assertIn(
            ("Verification", "Investigation"), [(v.old_value_char, v.new_value_char) for v in values]
        )
        # The CAPA can go round again: new action, implementation, verification.
        self.new_action(capa, name="Add a second check")
        capa.action_start_implementation()
        capa.action_ids.filtered(lambda a: a.state == "open").write({"result": "Second check in place."})
        capa.action_ids.filtered(lambda a: a.state == "open").action_done()
        capa.action_start_verification()
        self.assertEqual(capa.effectiveness_result, "pending")

    def test_not_effective_through_the_form_field(self):
        capa = self.capa_in_verification()
        with Form(capa) as form:
            form.effectiveness_result = "not_effective"
        self.assertEqual(capa.state, "investigation")

    def test_effective_only_during_verification(self):
        capa = self.new_capa()
        with self.assertRefused(ValidationError, "only be judged during its verification"):
            capa.effectiveness_result = "effective"

    def test_effectiveness_deadline_before_creation_is_refused(self):
        capa = self.new_capa()
        with self.assertRefused(ValidationError, "before the CAPA was opened"):
            capa.effectiveness_deadline = self.today - timedelta(days=1)
        self.assertFalse(capa.effectiveness_deadline)
        with self.assertRefused(ValidationError, "before the CAPA was opened"):
            self.new_capa(effectiveness_deadline=self.today - timedelta(days=3))

    def test_only_managers_cancel_and_reopen(self):
        capa = self.capa_in_implementation()
        with self.assertRefused(AccessError, "Only a quality manager can cancel"):
            capa.action_cancel()
        capa.with_user(self.quality_manager).action_cancel()
        self.assertEqual(capa.state, "cancelled")
        self.assertEqual(set(capa.action_ids.mapped("state")), {"cancelled"})
        self.assertFalse(capa.activity_ids)
        with self.assertRefused(AccessError, "Only a quality manager can reopen"):
            capa.action_reopen()
        capa.with_user(self.quality_manager).action_reopen()
        self.assertEqual(capa.state, "investigation")

    def test_wrong_transitions_are_refused(self):
        capa = self.new_capa()
        with self.assertRefused(UserError, "moves to implementation from its investigation"):
            capa.action_start_implementation()
        with self.assertRefused(UserError, "verified once its actions are implemented"):
            capa.action_start_verification()
        capa.action_start_investigation()
        with self.assertRefused(UserError, "only a draft CAPA"):
            capa.action_start_investigation()
        with self.assertRefused(UserError, "only closed or cancelled"):
            capa.with_user(self.quality_manager).action_reopen()

    def test_only_drafts_can_be_deleted(self):
        draft = self.new_capa(user=self.quality_manager)
        started = self.new_capa(user=self.quality_manager)
        started.action_start_investigation()
        with self.assertRefused(UserError, "must be kept"):
            started.unlink()
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_overdue(self):
        capa = self.capa_in_implementation()
        self.assertFalse(capa.is_overdue)
        capa.action_ids.flush_recordset()
        self.env.cr.execute(
            "UPDATE capa_action SET date_deadline = %s WHERE id = ANY(%s)",
            (self.today - timedelta(days=2), capa.action_ids.ids),
        )
        capa.invalidate_recordset(["is_overdue"])
        capa.action_ids.invalidate_recordset(["date_deadline", "is_overdue"])
        self.assertTrue(capa.is_overdue)
        # An open action on time and a done action past its deadline: not overdue.
        late = capa.action_ids
        late.write({"result": "Done late."})
        late.action_done()
        self.new_action(capa, name="On time")
        capa.invalidate_recordset(["is_overdue"])
        self.assertFalse(capa.is_overdue)
        self.assertNotIn(capa, self.env["capa.record"].search([("is_overdue", "=", True)]))
        self.env.cr.execute(
            "UPDATE capa_action SET state = 'open', date_done = NULL WHERE id = %s", [late.id]
        )
        self.env.invalidate_all()
        self.assertTrue(late.is_overdue)
        self.assertIn(capa, self.env["capa.record"].search([("is_overdue", "=", True)]))
        self.assertNotIn(capa, self.env["capa.record"].search([("is_overdue", "=", False)]))

    def test_create_and_work_with_the_form(self):
        form = Form(self.env["capa.record"].with_user(self.quality_user))
        form.title = "Label misprint on lot T-LOT-A"
        form.source_type = "supplier"
        form.lot_ids.add(self.lot_a)
        capa = form.save()
        self.assertEqual(capa.product_ids, self.product, "the lot's product is added by the onchange")
        capa.action_start_investigation()
        with Form(capa) as form:
            form.root_cause = "<p>Supplier's template changed.</p>"
            with form.action_ids.new() as line:
                line.name = "Ask the supplier for a corrective action"
        self.assertEqual(capa.action_ids.state, "open")
        capa.action_start_implementation()
        self.assertEqual(capa.state, "implementation")

    def test_views_and_reporting_groupings(self):
        views = self.env["capa.record"].get_views(
            [(False, view) for view in ("kanban", "list", "form", "search", "pivot", "graph")]
        )
        self.assertEqual(set(views["views"]), {"kanban", "list", "form", "search", "pivot", "graph"})
        capa = self.capa_in_implementation()
        capa.lot_ids = self.lot_a
        # Recurrence by root cause and product (group by a many2many).
        groups = self.env["capa.record"].read_group(
            [("product_ids", "in", self.product.ids)], ["cycle_time_days:avg"], ["product_ids"], lazy=False
        )
        self.assertEqual(groups[0]["product_ids"][0], self.product.id)
        self.assertTrue(re.match(r"^\d+", str(groups[0]["__count"])))
