# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import json
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import GspMixin


@tagged("post_install", "-at_install")
class TestGspSignature(GspMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_gsp()

    def test_recall_approval_needs_a_signature(self):
        event = self.new_recall()
        with self.assertRefused(UserError, "requires an electronic signature"):
            event.with_user(self.quality_manager).action_approve()
        self.assertEqual(event.state, "assessment")
        self.sign(self.quality_manager, event, "action_approve", "approved", reason="Plan agreed with QA")
        self.assertEqual(event.state, "approved")
        signature = event.gsp_signature_ids
        self.assertEqual(signature.user_id, self.quality_manager)
        self.assertEqual(signature.meaning, "approved")
        self.assertEqual(signature.reason, "Plan agreed with QA")
        self.assertTrue(signature.consumed)
        self.assertTrue(signature.verify())
        self.assertEqual(len(self.entries(event, "signature")), 1)

    def test_wrong_password_is_refused_logged_and_five_lock_signing(self):
        event = self.new_recall()
        for attempt in range(5):
            wizard, result = self.sign(
                self.quality_manager, event, "action_approve", "approved", password="wrong"
            )
            self.assertEqual(result["res_model"], "gsp.signature.wizard", attempt)
            self.assertIn("Wrong password", wizard.error)
        self.assertEqual(event.state, "assessment")
        self.assertFalse(event.gsp_signature_ids)
        failures = self.env["gsp.audit.log"].search(
            [("operation", "=", "login_failure"), ("user_id", "=", self.quality_manager.id)]
        )
        self.assertEqual(len(failures), 5)
        with self.assertRefused(UserError, "Signing is locked for 15 minutes"):
            self.sign(self.quality_manager, event, "action_approve", "approved")
        self.assertEqual(event.state, "assessment")
        # Another user is not locked.
        other = self.gsp_manager
        self.sign(other, event, "action_approve", "approved")
        self.assertEqual(event.state, "approved")

    def test_data_files_sign_through_the_dialogs_path(self):
        """``_sign_for`` (the demo's signed decisions, run as a user): the dialog's checks and
        password; a wrong password is refused (raised), nothing is decided."""
        event = self.new_recall()
        Wizard = self.env["gsp.signature.wizard"].with_user(self.quality_manager)
        password = self.quality_manager.login + "x" * (8 - len(self.quality_manager.login))
        with self.assertRefused(UserError, "Wrong password"):
            Wizard._sign_for("recall.event", event.ids, "action_approve", "approved", "wrong", "Agreed")
        self.assertEqual(event.state, "assessment")
        # Not a declared decision: refused like the dialog refuses it.
        with self.assertRefused(UserError, "cannot be signed"):
            Wizard._sign_for("recall.event", event.ids, "action_start", "approved", password)
        Wizard._sign_for("recall.event", event.ids, "action_approve", "approved", password, "Agreed")
        self.assertEqual(event.state, "approved")
        signature = event.approval_signature_id
        self.assertEqual((signature.user_id, signature.reason), (self.quality_manager, "Agreed"))
        self.assertFalse(signature.is_system)
        self.assertEqual(event.approved_by_id, self.quality_manager)

    def test_reason_required_where_the_meaning_needs_one(self):
        capa = self.env["capa.record"].create({"title": "To close"})
        capa.write({"state": "verification", "effectiveness_result": "effective"})
        with self.assertRefused(UserError, "Give the reason for this signature"):
            self.sign(self.quality_manager, capa, "action_close", "closed", reason="  ")
        self.assertFalse(capa.gsp_signature_ids)

    def test_capa_close_is_signed(self):
        capa = self.env["capa.record"].create({"title": "Signed closure"})
        capa.write({"state": "verification", "effectiveness_result": "effective"})
        with self.assertRefused(UserError, "requires an electronic signature"):
            capa.with_user(self.quality_manager).action_close()
        self.sign(self.quality_manager, capa, "action_close", "closed", reason="Effective after 3 months")
        self.assertEqual(capa.state, "closed")
        self.assertEqual(capa.gsp_signature_ids.meaning, "closed")

    def test_quarantine_release_is_signed_with_its_reason(self):
        self.lot.quarantine("Damaged cartons")
        with self.assertRefused(UserError, "requires an electronic signature"):
            self.lot.with_user(self.quality_manager).release_quarantine("x")
        self.assertTrue(self.lot.is_quarantined)
        self.sign(self.quality_manager, self.lot, "action_gsp_release", "released", reason="Cartons replaced")
        self.assertFalse(self.lot.is_quarantined)
        self.assertEqual(self.lot.quarantine_event_ids.sorted("id")[-1].reason, "Cartons replaced")
        self.assertEqual(self.lot.gsp_signature_ids.meaning, "released")

    def test_a_signature_serves_only_its_decision(self):
        """The authorisation a signature opens covers its decision on its records, for its signer:
        nothing else runs with it, not even from the method it authorises."""
        event = self.new_recall()
        other = self.new_recall()
        capa = self.env["capa.record"].create({"title": "Other record"})
        capa.write({"state": "verification", "effectiveness_result": "effective"})
        calls = []

        def approve_and_more(records):
            calls.append(records.ids)
            with self.assertRefused(UserError, "requires an electronic signature"):
                original(other.with_user(self.quality_manager))
            with self.assertRefused(UserError, "requires an electronic signature"):
                capa.with_user(self.quality_manager).action_close()
            return original(records)

        original = type(event).action_approve
        with patch.object(type(event), "action_approve", approve_and_more):
            self.sign(self.quality_manager, event, "action_approve", "approved")
        self.assertEqual(calls, [event.ids])
        self.assertEqual(event.state, "approved")
        self.assertEqual(other.state, "assessment")
        self.assertEqual(capa.state, "verification")
        # Once the signed call returned, the decision needs a new signature.
        with self.assertRefused(UserError, "after its assessment"):
            event.with_user(self.quality_manager).action_approve()

    def test_signatures_cannot_be_forged_or_changed(self):
        event = self.new_recall()
        with self.assertRaises(AccessError):
            self.env["gsp.signature"].create(
                {"user_id": self.env.uid, "meaning": "approved", "res_model": event._name, "res_id": event.id}
            )
        self.sign(self.quality_manager, event, "action_approve", "approved")
        with self.assertRaises(AccessError):
            event.gsp_signature_ids.sudo().write({"reason": "other"})

    # --- The record keeps the signature it was decided with (issue 11, §11.50 and §11.70) ------
    def test_a_recall_keeps_its_approval_and_closing_signatures_on_form_and_paper(self):
        event = self.new_recall()
        self.sign(self.quality_manager, event, "action_approve", "approved", reason="Plan agreed with QA")
        signature = event.approval_signature_id
        self.assertEqual(signature, event.gsp_signature_ids)
        self.assertEqual((signature.user_id, signature.meaning), (self.quality_manager, "approved"))
        self.assertEqual(event.approval_signature_reason, "Plan agreed with QA")
        self.assertRegex(signature.manifestation, r"^Approved by Mia Manager on .+: Plan agreed with QA$")
        self.assertFalse(event.close_signature_id)
        plan = self._report_html("recall_management.action_report_recall_plan", event)
        self.assertIn(signature.manifestation, plan)
        # A drill closes with its summary and lessons learned; its closing signature is kept too.
        drill = self.env["recall.event"].create(
            {
                "title": "Drill",
                "is_mock": True,
                "level_id": self.env.ref("recall_management.recall_level_2").id,
                "line_ids": [Command.create({"product_id": self.product.id, "lot_id": self.lot.id})],
            }
        )
        drill.action_start()
        drill.write({"summary": "<p>Traced in seconds.</p>", "lessons_learned": "<p>Keep contacts.</p>"})
        self.sign(self.quality_manager, drill, "action_close", "closed", reason="Drill passed")
        self.assertEqual(drill.state, "closed")
        self.assertEqual(drill.close_signature_id.meaning, "closed")
        self.assertEqual(drill.close_signature_reason, "Drill passed")
        summary = self._report_html("recall_management.action_report_recall_summary", drill)
        self.assertIn(drill.close_signature_id.manifestation, summary)

    def test_a_capa_keeps_its_closing_signature_until_reopened(self):
        capa = self.env["capa.record"].create({"title": "Signed closure"})
        capa.write({"state": "verification", "effectiveness_result": "effective"})
        self.sign(self.quality_manager, capa, "action_close", "closed", reason="Effective after 3 months")
        signature = capa.close_signature_id
        self.assertEqual((signature.meaning, signature.user_id), ("closed", self.quality_manager))
        self.assertEqual(capa.close_signature_reason, "Effective after 3 months")
        html = self._report_html("capa.action_report_capa_record", capa)
        self.assertIn(signature.manifestation, html)
        capa.with_user(self.quality_manager).action_reopen()
        self.assertFalse(capa.close_signature_id)
        self.assertIn(signature, capa.gsp_signature_ids)

    def test_a_release_keeps_its_signature_in_the_quarantine_history(self):
        self.lot.quarantine("Damaged cartons")
        self.sign(self.quality_manager, self.lot, "action_gsp_release", "released", reason="Cartons replaced")
        release = self.lot.quarantine_event_ids.filtered(lambda e: e.action == "release")
        self.assertEqual(len(release), 1)
        self.assertEqual(release.signature_id, self.lot.gsp_signature_ids)
        self.assertEqual(release.signature_id.reason, "Cartons replaced")
        # The system path keeps its (system) signature the same way.
        self.lot.quarantine("Second check")
        self.lot.sudo()._gsp_system_decision("action_gsp_release", "Retest passed")
        latest = self.lot.quarantine_event_ids.sorted("id")[-1]
        self.assertEqual(latest.action, "release")
        self.assertTrue(latest.signature_id.is_system)
        self.assertIn("(system decision)", latest.signature_id.manifestation)

    def test_a_disposition_keeps_its_release_signature(self):
        event = self.new_recall()
        self.sign(self.quality_manager, event, "action_approve", "approved")
        event.action_start()
        self.assertTrue(self.lot.is_quarantined)
        release = self.env["recall.disposition"].create(
            {
                "event_id": event.id,
                "lot_id": self.lot.id,
                "quantity": 20,
                "location_id": self.warehouse.quarantine_location_id.id,
                "action": "release",
                "reason": "Retained samples retested",
            }
        )
        self.sign(self.quality_manager, release, "action_execute", "released", reason="Retest passed")
        self.assertEqual(release.state, "done")
        signature = release.release_signature_id
        self.assertEqual((signature.meaning, signature.user_id), ("released", self.quality_manager))
        self.assertEqual(signature.reason, "Retest passed")
        self.assertFalse(self.lot.is_quarantined)
        last = self.lot.quarantine_event_ids.sorted("id")[-1]
        self.assertEqual((last.action, last.signature_id), ("release", signature))

    def test_signature_fields_are_not_writable(self):
        """The field keeping a decision's signature changes only through the decision: a quality
        manager cannot point an unsigned recall, CAPA or licence at another record's signature."""
        signed = self.new_recall()
        self.sign(self.quality_manager, signed, "action_approve", "approved")
        other = self.new_recall()
        capa = self.env["capa.record"].create({"title": "Not closed"})
        for record, fname in (
            (other, "approval_signature_id"),
            (other, "close_signature_id"),
            (capa, "close_signature_id"),
        ):
            with self.subTest(field=fname), self.assertRefused(UserError, "change only through"):
                record.with_user(self.quality_manager).write({fname: signed.approval_signature_id.id})
            self.assertFalse(record[fname])
        with self.assertRefused(UserError, "change only through"):
            self.env["recall.event"].with_user(self.quality_user).create(
                {"title": "Forged", "approval_signature_id": signed.approval_signature_id.id}
            )

    def _report_html(self, xmlid, records):
        content, report_format = self.env["ir.actions.report"]._render_qweb_pdf(xmlid, records.ids)
        self.assertEqual(report_format, "html")
        return content.decode() if isinstance(content, bytes) else str(content)

    # --- Only declared decisions, for every caller (issue 11) ---------------------------------
    def _raw_wizard(self, user, model, ids, method, meaning):
        return (
            self.env["gsp.signature.wizard"]
            .with_user(user)
            .create({"res_model": model, "res_ids": json.dumps(ids), "method": method, "meaning": meaning})
        )

    def test_the_wizard_dispatches_only_declared_decisions(self):
        """An Inventory user creating the wizard for stock.move._action_done, or any method not
        declared (exists, unlink, write), is refused on create: nothing is signed or run."""
        stock_user = new_test_user(self.env, "gsp_stock_only", groups="stock.group_stock_user")
        move = self.env["stock.move"].search([], limit=1)
        event = self.new_recall()
        attempts = [
            (stock_user, "stock.move", move.ids, "_action_done", "approved"),
            (stock_user, "recall.event", event.ids, "exists", "approved"),
            (self.quality_manager, "recall.event", event.ids, "unlink", "approved"),
            (self.quality_manager, "recall.event", event.ids, "action_start", "approved"),
            (self.quality_manager, "gsp.acceptance", [1], "_release_accepted_lots", "accepted"),
            (self.quality_manager, "recall.event", event.ids, "action_approve", "rejected"),
            (self.quality_manager, "recall.event", "not json", "action_approve", "approved"),
        ]
        for user, model, ids, method, meaning in attempts:
            with self.subTest(method=method), self.assertRaises(UserError):
                self._raw_wizard(user, model, ids if isinstance(ids, list) else [], method, meaning)
        # A non-manager cannot plant an "Approved" signature either.
        with self.assertRefused(AccessError, "Only a quality manager can approve"):
            self._raw_wizard(self.quality_user, "recall.event", event.ids, "action_approve", "approved")
        self.assertFalse(event.gsp_signature_ids)
        self.assertEqual(event.state, "assessment")

    def test_the_decision_of_a_wizard_cannot_be_changed(self):
        event = self.new_recall()
        wizard = self._raw_wizard(
            self.quality_manager, "recall.event", event.ids, "action_approve", "approved"
        )
        for vals in (
            {"method": "action_close"},
            {"res_model": "stock.move"},
            {"res_ids": json.dumps([event.id + 1])},
            {"meaning": "closed"},
        ):
            with self.subTest(vals=vals), self.assertRefused(UserError, "cannot be changed"):
                wizard.write(vals)
        self.assertEqual((wizard.res_model, wizard.method), ("recall.event", "action_approve"))

    def test_preconditions_are_checked_before_the_password(self):
        """Closing a recall with unanswered notices is refused when the dialog opens, not after
        the signer typed their password."""
        event = self.new_recall()
        self.sign(self.quality_manager, event, "action_approve", "approved")
        event.action_start()
        with self.assertRefused(UserError, "not acknowledged"):
            self.env["gsp.signature.wizard"].with_user(self.quality_manager)._open_for(
                event.with_user(self.quality_manager), "action_close", "closed"
            )
        self.assertFalse(self.env["gsp.signature.wizard"].search([("method", "=", "action_close")]))

    def test_signatures_cannot_be_created_with_the_former_context_key(self):
        event = self.new_recall()
        for user in (self.quality_manager, self.env.user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["gsp.signature"].with_user(user).with_context(
                    gsp_signature_wizard=True
                ).sudo().create(
                    {
                        "user_id": self.quality_manager.id,
                        "meaning": "approved",
                        "res_model": event._name,
                        "res_id": event.id,
                        "method": "action_approve",
                    }
                )
        self.assertFalse(event.gsp_signature_ids)

    def test_a_server_action_cannot_take_a_signed_decision(self):
        event = self.new_recall()
        action = self.env["ir.actions.server"].create(
            {
                "name": "Approve without signing",
                "model_id": self.env.ref("recall_management.model_recall_event").id,
                "state": "code",
                "code": "record.action_approve()",
            }
        )
        with self.assertRefused(UserError, "requires an electronic signature"):
            action.with_user(self.quality_manager).with_context(
                active_model="recall.event", active_id=event.id, active_ids=event.ids
            ).run()
        self.assertEqual(event.state, "assessment")

    def test_the_system_path_is_for_the_superuser_only_and_recorded(self):
        event = self.new_recall()
        with self.assertRefused(AccessError, "Only the system"):
            event.with_user(self.quality_manager)._gsp_system_decision("action_approve", "script")
        # The superuser: an odoo shell script's environment (or sudo() in server code).
        with self.assertRefused(UserError, "Give the reason"):
            event.sudo()._gsp_system_decision("action_approve", " ")
        event.sudo()._gsp_system_decision("action_approve", "Migration of the 2025 register")
        self.assertEqual(event.state, "approved")
        signature = event.gsp_signature_ids
        self.assertTrue(signature.is_system)
        self.assertEqual(signature.reason, "Migration of the 2025 register")
        self.assertTrue(signature.consumed)
        self.assertTrue(signature.verify())


@tagged("post_install", "-at_install")
class TestGspSignatureOverRpc(GspMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_gsp()

    @mute_logger("odoo.http")
    def test_rpc_without_signature_is_refused(self):
        event = self.new_recall()
        self.authenticate("gsp_qm", "gsp_qmxx")
        response = self.url_open(
            "/web/dataset/call_button/recall.event/action_approve",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "recall.event",
                        "method": "action_approve",
                        "args": [[event.id]],
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        self.assertIn("requires an electronic signature", error["message"])
        self.assertEqual(event.state, "assessment")
        # The button opens the signature wizard instead.
        action = self.make_jsonrpc_request(
            "/web/dataset/call_button/recall.event/action_gsp_sign",
            {
                "model": "recall.event",
                "method": "action_gsp_sign",
                "args": [[event.id]],
                "kwargs": {"context": {"gsp_method": "action_approve", "gsp_meaning": "approved"}},
            },
        )
        self.assertEqual(action["res_model"], "gsp.signature.wizard")
