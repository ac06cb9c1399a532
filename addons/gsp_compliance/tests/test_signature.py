# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged
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
            event.with_user(self.quality_manager).with_context(gsp_require_signature=True).action_approve()
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

    def test_reason_required_where_the_meaning_needs_one(self):
        capa = self.env["capa.record"].create({"title": "To close"})
        with self.assertRefused(UserError, "Give the reason for this signature"):
            self.sign(self.quality_manager, capa, "action_close", "closed", reason="  ")
        self.assertFalse(capa.gsp_signature_ids)

    def test_capa_close_is_signed(self):
        capa = self.env["capa.record"].create({"title": "Signed closure"})
        capa.write({"state": "verification", "effectiveness_result": "effective"})
        with self.assertRefused(UserError, "requires an electronic signature"):
            capa.with_user(self.quality_manager).with_context(gsp_require_signature=True).action_close()
        self.sign(self.quality_manager, capa, "action_close", "closed", reason="Effective after 3 months")
        self.assertEqual(capa.state, "closed")
        self.assertEqual(capa.gsp_signature_ids.meaning, "closed")

    def test_quarantine_release_is_signed_with_its_reason(self):
        self.lot.quarantine("Damaged cartons")
        with self.assertRefused(UserError, "requires an electronic signature"):
            self.lot.with_user(self.quality_manager).with_context(
                gsp_require_signature=True
            ).release_quarantine("x")
        self.assertTrue(self.lot.is_quarantined)
        self.sign(self.quality_manager, self.lot, "action_gsp_release", "released", reason="Cartons replaced")
        self.assertFalse(self.lot.is_quarantined)
        self.assertEqual(self.lot.quarantine_event_ids.sorted("id")[-1].reason, "Cartons replaced")
        self.assertEqual(self.lot.gsp_signature_ids.meaning, "released")

    def test_a_signature_serves_only_its_decision(self):
        event = self.new_recall()
        capa = self.env["capa.record"].create({"title": "Other record"})
        _wizard, _result = self.sign(self.quality_manager, event, "action_approve", "approved")
        signature = event.gsp_signature_ids
        with self.assertRefused(UserError, "requires an electronic signature"):
            capa.with_user(self.quality_manager).with_context(
                gsp_signature_ids=signature.ids, gsp_require_signature=True
            ).action_close()

    def test_signatures_cannot_be_forged_or_changed(self):
        event = self.new_recall()
        with self.assertRaises(AccessError):
            self.env["gsp.signature"].create(
                {"user_id": self.env.uid, "meaning": "approved", "res_model": event._name, "res_id": event.id}
            )
        self.sign(self.quality_manager, event, "action_approve", "approved")
        with self.assertRaises(AccessError):
            event.gsp_signature_ids.sudo().write({"reason": "other"})


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
