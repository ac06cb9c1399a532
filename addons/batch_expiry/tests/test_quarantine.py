# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.capa.tests.common import decide

from .common import BatchExpiryCase


@tagged("post_install", "-at_install")
class TestQuarantine(BatchExpiryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot_a = cls.new_lot(cls, "QA-A", days=300, quantity=10)
        cls.lot_b = cls.new_lot(cls, "QA-B", days=400, quantity=10)

    def test_every_warehouse_has_a_quarantine_location_and_type(self):
        self.assertTrue(self.quarantine_location.is_quarantine)
        self.assertEqual(self.quarantine_location.location_id, self.warehouse.view_location_id)
        self.assertNotEqual(self.quarantine_location.location_id, self.stock)
        self.assertEqual(self.warehouse.quarantine_type_id.code, "internal")
        new_warehouse = self.env["stock.warehouse"].create({"name": "Cold Store", "code": "COLD"})
        self.assertTrue(new_warehouse.quarantine_location_id.is_quarantine)
        self.assertEqual(new_warehouse.quarantine_location_id.warehouse_id, new_warehouse)
        self.assertEqual(new_warehouse.quarantine_type_id.sequence_code, "QUA")

    def test_quarantine_moves_stock_and_unreserves(self):
        delivery = self.delivery(5)
        reserved = delivery.move_ids.move_line_ids.lot_id
        self.assertEqual(len(reserved), 1)
        pickings = self.transfers(
            reserved.with_user(self.stock_user).quarantine("Broken seals found during cycle count")
        )
        self.assertEqual(len(pickings), 1)
        self.assertEqual(pickings.state, "done")
        self.assertEqual(pickings.picking_type_id, self.warehouse.quarantine_type_id)
        self.assertTrue(reserved.is_quarantined)
        self.assertEqual(self.qty(reserved, self.stock), 0)
        self.assertEqual(self.qty(reserved, self.quarantine_location), 10)
        # The delivery now takes the other lot.
        self.assertEqual(delivery.move_ids.move_line_ids.lot_id, (self.lot_a | self.lot_b) - reserved)
        event = reserved.quarantine_event_ids
        self.assertEqual(
            (event.action, event.reason, event.quantity, event.user_id, event.picking_ids),
            ("quarantine", "Broken seals found during cycle count", 10, self.stock_user, pickings),
        )

    def test_quarantined_lots_are_never_reserved(self):
        self.lot_a.quarantine("Supplier notice")
        # Even stock of the lot back in a normal location (moved by hand with no check) is not taken.
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, 4, lot_id=self.lot_a)
        delivery = self.delivery(20)
        self.assertEqual(delivery.move_ids.move_line_ids.lot_id, self.lot_b)
        self.assertEqual(delivery.move_ids.quantity, 10)

    def test_quarantined_lots_cannot_leave_quarantine_by_hand(self):
        self.lot_a.quarantine("Temperature excursion")
        move_back = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.int_type_id.id,
                "location_id": self.quarantine_location.id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "back",
                            "product_id": self.product.id,
                            "product_uom_qty": 10,
                            "location_id": self.quarantine_location.id,
                            "location_dest_id": self.stock.id,
                            "move_line_ids": [
                                Command.create(
                                    {
                                        "product_id": self.product.id,
                                        "lot_id": self.lot_a.id,
                                        "quantity": 10,
                                        "location_id": self.quarantine_location.id,
                                        "location_dest_id": self.stock.id,
                                    }
                                )
                            ],
                        }
                    )
                ],
            }
        )
        with self.assertRaises(UserError) as caught:
            move_back.with_context(batch_expiry_quarantine_transfer=False).button_validate()
        self.assertIn("QA-A", str(caught.exception))
        self.assertIn("Temperature excursion", str(caught.exception))
        self.assertEqual(self.qty(self.lot_a, self.quarantine_location), 10)

    def test_scrapping_a_quarantined_lot_is_allowed(self):
        self.lot_a.quarantine("Damaged")
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "lot_id": self.lot_a.id,
                "scrap_qty": 10,
                "location_id": self.quarantine_location.id,
            }
        )
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")
        self.assertEqual(self.qty(self.lot_a, self.quarantine_location), 0)

    def test_release_is_for_quality_managers_with_a_reason(self):
        self.lot_a.quarantine("Customer complaint")
        with mute_logger("odoo.addons.base.models.ir_model"), self.assertRaises(AccessError):
            self.lot_a.with_user(self.stock_user).release_quarantine("looks fine")
        with self.assertRaises(UserError):
            self.lot_a.with_user(self.quality_manager).release_quarantine("  ")
        with self.assertRaises(UserError) as caught:
            (self.lot_a | self.lot_b).with_user(self.quality_manager).release_quarantine("checked")
        self.assertIn("QA-B", str(caught.exception))
        self.assertTrue(self.lot_a.is_quarantined)
        pickings = self.transfers(
            decide(
                self.lot_a.with_user(self.quality_manager),
                "release_quarantine",
                "Complaint unfounded: seals intact",
            )
        )
        self.assertFalse(self.lot_a.is_quarantined)
        self.assertEqual(self.qty(self.lot_a, self.stock), 10)
        self.assertEqual(self.qty(self.lot_a, self.quarantine_location), 0)
        self.assertEqual(self.lot_a.quarantine_event_ids.mapped("action"), ["release", "quarantine"])
        self.assertEqual(self.lot_a.quarantine_event_ids[0].picking_ids, pickings)
        self.assertEqual(self.delivery(15).move_ids.quantity, 15, "released stock is reservable again")

    def test_quarantine_needs_a_reason_and_changes_nothing_without(self):
        with self.assertRaises(UserError):
            self.lot_a.quarantine("")
        self.assertFalse(self.lot_a.is_quarantined)
        self.assertEqual(self.qty(self.lot_a, self.stock), 10)

    def test_many_lots_in_one_call(self):
        lots = self.env["stock.lot"]
        for index in range(30):
            lots |= self.new_lot(f"MASS-{index:02d}", days=200, quantity=2)
        with self.assertQueryCount(__system__=2000):  # one call, whatever the number of lots
            pickings = self.transfers(lots.quarantine("Recall RC/2026/00001"))
        self.assertEqual(len(pickings), 1, "one transfer per warehouse")
        self.assertEqual(len(pickings.move_ids), 30)
        self.assertTrue(all(lots.mapped("is_quarantined")))
        self.assertEqual(len(lots.quarantine_event_ids), 30)

    def test_wizard_from_the_lot_form_and_the_list(self):
        action = self.lot_a.action_open_quarantine_wizard()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = "Label misprint"
        wizard.save().action_confirm()
        self.assertTrue(self.lot_a.is_quarantined)
        action = self.lot_a.with_user(self.quality_manager).action_open_release_wizard()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.quality_manager).with_context(**action["context"])
        )
        wizard.reason = "Relabelled"
        if "gsp.signature" in self.env:
            # With gsp_compliance a release is signed: the dialog without a password refuses.
            with self.assertRaises(UserError):
                wizard.save().action_confirm()
            self.assertTrue(self.lot_a.is_quarantined)
            return
        wizard.save().action_confirm()
        self.assertFalse(self.lot_a.is_quarantined)

    def test_daily_scan_quarantines_expired_stock(self):
        short = self.new_lot("SHORT", days=5, quantity=3)
        with freeze_time(self.now + timedelta(days=6)):
            self.env["stock.lot"]._cron_expiry_scan()
        self.assertTrue(short.is_quarantined)
        self.assertEqual(self.qty(short, self.quarantine_location), 3)
        self.assertFalse(self.lot_a.is_quarantined)

    def test_daily_scan_leaves_expired_stock_when_the_company_says_so(self):
        self.company.expiry_auto_quarantine = False
        short = self.new_lot("SHORT2", days=5, quantity=3)
        with freeze_time(self.now + timedelta(days=6)):
            self.env["stock.lot"]._cron_expiry_scan()
        self.assertEqual(short.expiry_state, "expired")
        self.assertFalse(short.is_quarantined)
