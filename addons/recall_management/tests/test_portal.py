# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta
from urllib.parse import urlparse

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import decide


@tagged("post_install", "-at_install")
class TestRecallPortal(HttpCase):
    """Customers read and acknowledge their recall notices on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.product = cls.env["product.product"].create(
            {"name": "Portal Test Amoxicillin 500 mg", "is_storable": True, "tracking": "lot"}
        )
        cls.lot = cls.env["stock.lot"].create(
            {
                "name": "LOT-PORTAL-01",
                "product_id": cls.product.id,
                "company_id": cls.env.company.id,
                "expiration_date": fields.Datetime.now() + timedelta(days=400),
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock, 100, lot_id=cls.lot)
        cls.customer_a = cls.env["res.partner"].create(
            {"name": "Pharmacy Alpha", "is_company": True, "email": "alpha@pharmacy.example.com"}
        )
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "Pharmacy Bravo", "is_company": True, "email": "bravo@pharmacy.example.com"}
        )
        cls._deliver(cls.customer_a, 10)
        cls._deliver(cls.customer_b, 25)
        cls.portal_a = cls._portal_user("rm_portal_a", cls.customer_a)
        cls.portal_b = cls._portal_user("rm_portal_b", cls.customer_b)
        cls.event = cls.env["recall.event"].create(
            {
                "title": "Particles found in vials",
                "level_id": cls.env.ref("recall_management.recall_level_1").id,
                "line_ids": [Command.create({"product_id": cls.product.id, "lot_id": cls.lot.id})],
            }
        )
        cls.event.action_submit()
        decide(cls.event, "action_approve")
        cls.event.action_start()
        cls.event.action_send_notices()
        cls.notice_a = cls.event.notice_ids.filtered(lambda n: n.partner_id == cls.customer_a)
        cls.notice_b = cls.event.notice_ids.filtered(lambda n: n.partner_id == cls.customer_b)

    @classmethod
    def _deliver(cls, customer, quantity):
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.out_type_id.id,
                "partner_id": customer.id,
                "location_id": cls.stock.id,
                "location_dest_id": cls.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": cls.product.name,
                            "product_id": cls.product.id,
                            "product_uom_qty": quantity,
                            "location_id": cls.stock.id,
                            "location_dest_id": cls.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        picking._action_done()
        return picking

    @classmethod
    def _portal_user(cls, login, company):
        contact = cls.env["res.partner"].create(
            {"name": f"Buyer of {company.name}", "parent_id": company.id, "email": f"{login}@example.com"}
        )
        return new_test_user(cls.env, login, groups="base.group_portal", partner_id=contact.id)

    def _url(self, notice, **params):
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return f"{notice.access_url}?{query}" if query else notice.access_url

    def _ack_messages(self, notice):
        return notice.message_ids.filtered(lambda m: "acknowledged on the portal" in (m.body or ""))

    def _answer(self, notice, on_hand, to_return, name="Jane Pharmacist", access_token=None, line=None):
        line = line or notice.line_ids
        data = {
            "csrf_token": http.Request.csrf_token(self),
            f"on_hand_{line.id}": on_hand,
            f"to_return_{line.id}": to_return,
            "name": name,
            "note": "Kept apart in the back room",
        }
        if access_token:
            data["access_token"] = access_token
        return self.url_open(f"{notice.access_url}/acknowledge", data=data)

    # --- Scenario --------------------------------------------------------------------------
    def test_scenario(self):
        """One notice per customer, sent, with a token and the delivered quantities."""
        self.assertEqual(self.notice_a.state, "sent")
        self.assertEqual(self.notice_b.state, "sent")
        self.assertTrue(self.notice_a.access_token)
        self.assertEqual(self.notice_a.line_ids.lot_id, self.lot)
        self.assertEqual(self.notice_a.line_ids.qty_delivered, 10)
        self.assertEqual(self.notice_b.line_ids.qty_delivered, 25)

    # --- Reading ---------------------------------------------------------------------------
    def test_token_access_without_login(self):
        self.authenticate(None, None)
        response = self.url_open(self._url(self.notice_a, access_token=self.notice_a.access_token))
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.notice_a.name, response.text)
        self.assertIn("LOT-PORTAL-01", response.text)
        self.assertIn("Particles found in vials", response.text)
        self.assertIn(f'name="on_hand_{self.notice_a.line_ids.id}"', response.text)
        self.assertIn('max="10"', response.text)
        self.assertIn("Awaiting your answer", response.text)

    def test_letter_download_with_token(self):
        self.authenticate(None, None)
        response = self.url_open(
            self._url(
                self.notice_a, access_token=self.notice_a.access_token, report_type="pdf", download="true"
            )
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
        # Tests render reports as HTML: the letter names the lot.
        self.assertIn(b"LOT-PORTAL-01", response.content)
        response = self.url_open(self._url(self.notice_a, access_token="not-the-token", report_type="pdf"))
        self.assertNotEqual(response.headers["Content-Type"], "application/pdf")
        self.assertNotIn(b"LOT-PORTAL-01", response.content)

    def test_wrong_token_is_refused(self):
        self.authenticate(None, None)
        for url in (
            self._url(self.notice_a, access_token="not-the-token"),
            self._url(self.notice_a, access_token=self.notice_b.access_token),
            self._url(self.notice_a),
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn("LOT-PORTAL-01", response.text, url)
            self.assertNotIn(self.notice_a.name, response.text, url)

    def test_token_does_not_open_a_draft_notice(self):
        self.notice_a.write({"state": "draft"})
        self.authenticate(None, None)
        response = self.url_open(self._url(self.notice_a, access_token=self.notice_a.access_token))
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("LOT-PORTAL-01", response.text)

    def test_portal_user_lists_own_notices_only(self):
        self.authenticate("rm_portal_a", "rm_portal_a")
        response = self.url_open("/my/recall_notices")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.notice_a.name, response.text)
        self.assertNotIn(self.notice_b.name, response.text)
        self.assertIn("Particles found in vials", response.text)
        # Own notice opens without a token.
        response = self.url_open(self.notice_a.access_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlparse(response.url).path, self.notice_a.access_url)
        self.assertIn("LOT-PORTAL-01", response.text)
        # Another company's notice does not.
        response = self.url_open(self.notice_b.access_url)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.notice_b.name, response.text)
        self.assertNotIn("Pharmacy Bravo", response.text)

    def test_portal_home_counter(self):
        self.authenticate("rm_portal_a", "rm_portal_a")
        response = self.make_jsonrpc_request("/my/counters", {"counters": ["recall_notice_count"]})
        self.assertEqual(response["recall_notice_count"], 1)
        response = self.url_open("/my")
        self.assertIn("/my/recall_notices", response.text)

    # --- Acknowledging ---------------------------------------------------------------------
    def test_acknowledge_with_token(self):
        self.authenticate(None, None)
        token = self.notice_a.access_token
        response = self._answer(self.notice_a, "7", "6", access_token=token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlparse(response.url).path, self.notice_a.access_url)
        self.assertIn("your answer has been recorded", response.text)
        self.assertEqual(self.notice_a.state, "acknowledged")
        self.assertEqual(self.notice_a.acknowledged_by, "Jane Pharmacist")
        self.assertEqual(self.notice_a.acknowledgement_note, "Kept apart in the back room")
        self.assertTrue(self.notice_a.date_acknowledged)
        self.assertEqual(self.notice_a.line_ids.qty_reported_on_hand, 7)
        self.assertEqual(self.notice_a.line_ids.qty_to_return, 6)
        message = self._ack_messages(self.notice_a)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.customer_a)
        self.assertIn("Jane Pharmacist", message.body)
        # The page shows the answer, and still lets the customer correct it.
        self.assertIn("Jane Pharmacist", response.text)
        self.assertIn("Update my answer", response.text)
        response = self._answer(self.notice_a, "7", "7", name="John Manager", access_token=token)
        self.assertEqual(self.notice_a.line_ids.qty_to_return, 7)
        self.assertEqual(self.notice_a.acknowledged_by, "John Manager")

    def test_acknowledge_as_portal_user(self):
        self.authenticate("rm_portal_a", "rm_portal_a")
        self._answer(self.notice_a, "3", "3", name="")
        self.assertEqual(self.notice_a.state, "acknowledged")
        self.assertEqual(self.notice_a.acknowledged_by, self.portal_a.name)
        message = self._ack_messages(self.notice_a)
        self.assertEqual(message.author_id, self.portal_a.partner_id)

    def test_quantity_above_delivered_is_refused(self):
        self.authenticate(None, None)
        response = self._answer(self.notice_a, "11", "5", access_token=self.notice_a.access_token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_recall_notice_error", response.text)
        self.assertIn("cannot be more than that", response.text)
        self.assertEqual(self.notice_a.state, "sent")
        self.assertFalse(self.notice_a.acknowledged_by)
        self.assertEqual(self.notice_a.line_ids.qty_to_return, 0)
        self.assertFalse(self._ack_messages(self.notice_a))

    def test_bad_input_is_refused(self):
        self.authenticate(None, None)
        token = self.notice_a.access_token
        for on_hand, to_return, name, expected in (
            ("abc", "1", "Jane", "is not a number"),
            ("nan", "1", "Jane", "is not a number"),
            ("-1", "1", "Jane", "cannot be negative"),
            ("", "1", "Jane", "give the quantity on hand"),
            ("1", "1", "", "Give your name"),
        ):
            response = self._answer(self.notice_a, on_hand, to_return, name=name, access_token=token)
            self.assertIn("o_recall_notice_error", response.text, expected)
            self.assertIn(expected, response.text)
            self.assertEqual(self.notice_a.state, "sent")

    def test_line_of_another_notice_is_refused(self):
        self.authenticate(None, None)
        response = self._answer(
            self.notice_a, "1", "1", access_token=self.notice_a.access_token, line=self.notice_b.line_ids
        )
        self.assertIn("not on this notice", response.text)
        self.assertEqual(self.notice_a.state, "sent")
        self.assertEqual(self.notice_b.state, "sent")
        self.assertEqual(self.notice_b.line_ids.qty_to_return, 0)

    def test_portal_user_cannot_acknowledge_other_company(self):
        self.authenticate("rm_portal_a", "rm_portal_a")
        response = self._answer(self.notice_b, "1", "1")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("your answer has been recorded", response.text)
        self.assertEqual(self.notice_b.state, "sent")
        self.assertFalse(self.notice_b.acknowledged_by)
        self.assertEqual(self.notice_b.line_ids.qty_to_return, 0)

    @mute_logger("odoo.http")
    def test_acknowledge_needs_csrf_token(self):
        self.authenticate(None, None)
        line = self.notice_a.line_ids
        response = self.url_open(
            f"{self.notice_a.access_url}/acknowledge",
            data={
                f"on_hand_{line.id}": "1",
                f"to_return_{line.id}": "1",
                "name": "Jane",
                "access_token": self.notice_a.access_token,
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.notice_a.state, "sent")

    def test_closed_notice_cannot_be_answered(self):
        self.notice_a.write({"state": "closed", "close_reason": "The pharmacy closed down."})
        self.authenticate(None, None)
        token = self.notice_a.access_token
        response = self.url_open(self._url(self.notice_a, access_token=token))
        self.assertIn("LOT-PORTAL-01", response.text)
        self.assertNotIn("o_recall_notice_form", response.text)
        response = self._answer(self.notice_a, "1", "1", access_token=token)
        self.assertIn("o_recall_notice_error", response.text)
        self.assertEqual(self.notice_a.state, "closed")

    # --- Tour ------------------------------------------------------------------------------
    def test_tour_acknowledge(self):
        self.start_tour(self.notice_a.get_portal_url(), "recall_portal_acknowledge", login=None)
        self.assertEqual(self.notice_a.state, "acknowledged")
        self.assertEqual(self.notice_a.acknowledged_by, "Jane Pharmacist")
        self.assertEqual(self.notice_a.line_ids.qty_reported_on_hand, 7)
        self.assertEqual(self.notice_a.line_ids.qty_to_return, 6)

    def test_tour_owner_sees_acknowledgement(self):
        """A customer acknowledges on the portal; the recall's owner sees it on the recall's
        chatter and in their inbox, without opening the notice."""
        owner = new_test_user(
            self.env,
            login="rm_owner",
            name="Olivia Owner",
            email="olivia@distributor.example.com",
            groups="base.group_user,stock.group_stock_user,capa.group_quality_manager",
            notification_type="inbox",
        )
        self.event.user_id = owner
        self.start_tour(self.notice_a.get_portal_url(), "recall_portal_acknowledge", login=None)
        self.assertEqual(self.notice_a.state, "acknowledged")
        message = self.event.message_ids.filtered(lambda m: "Jane Pharmacist" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(owner.partner_id, message.notification_ids.res_partner_id)
        self.start_tour(
            f"/odoo/recall.event/{self.event.id}", "recall_owner_sees_acknowledgement", login="rm_owner"
        )
