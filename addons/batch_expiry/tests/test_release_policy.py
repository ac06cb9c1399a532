# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import BatchExpiryCase


class ReleasePolicyCase(BatchExpiryCase):
    """A good lot, a quarantined lot (its stock in quarantine) and an expired lot in stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.good = cls.new_lot(cls, "POL-GOOD", days=400, quantity=10)
        cls.held = cls.new_lot(cls, "POL-HELD", days=300, quantity=10)
        cls.dead = cls.new_lot(cls, "POL-DEAD", days=-3, quantity=6)
        cls.held.quarantine("Broken seals found on receipt")
        cls.quality_user = new_test_user(
            cls.env, "be_qu", groups="capa.group_quality_user,stock.group_production_lot"
        )
        cls.hospital = cls.env["res.partner"].create({"name": "Policy Hospital", "min_shelf_life_days": 500})
        cls.pharmacy = cls.env["res.partner"].create({"name": "Policy Pharmacy"})
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.scrap_location = cls.env["stock.location"].search(
            [("scrap_location", "=", True), ("company_id", "in", (cls.company.id, False))], limit=1
        )

    def transfer(self, lot, source, destination, quantity, picking_type=None, partner=None):
        """A confirmed transfer that names ``lot`` on its move line, picked."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": (picking_type or self.warehouse.int_type_id).id,
                "partner_id": partner.id if partner else False,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "policy",
                            "product_id": lot.product_id.id,
                            "product_uom_qty": quantity,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()
        picking.move_ids.move_line_ids = [
            Command.create(
                {
                    "picking_id": picking.id,
                    "product_id": lot.product_id.id,
                    "lot_id": lot.id,
                    "quantity": quantity,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                }
            )
        ]
        picking.move_ids.picked = True
        return picking

    def assertRefusedUnchanged(self, call, *patterns):
        """``call`` is refused with a message matching every pattern; the quant table is as before."""
        before = {lot: self.quant_rows(lot) for lot in (self.good, self.held, self.dead)}
        with self.assertRaises(UserError) as caught:
            call()
        for pattern in patterns:
            self.assertRegex(str(caught.exception), pattern)
        self.assertEqual({lot: self.quant_rows(lot) for lot in before}, before)
        self.assertQuantsExact(self.product)
        return str(caught.exception)


@tagged("post_install", "-at_install")
class TestReleaseStatus(ReleasePolicyCase):
    """One status per lot, with its reasons, read by the lot, the quant and the move line."""

    def test_status_and_reasons_on_the_lot(self):
        self.assertEqual(self.good.release_state, "released")
        self.assertFalse(self.good.release_rule_ids)
        self.assertEqual(self.held.release_state, "blocked")
        self.assertEqual(self.held.release_rule_ids.mapped("code"), ["quarantined"])
        self.assertIn("Broken seals found on receipt", self.held.release_reasons)
        self.assertEqual(self.dead.release_rule_ids.mapped("code"), ["expired"])
        self.assertRegex(self.dead.release_reasons, r"^Expired: expired on \d{4}-\d\d-\d\d$")
        quant = self.held.quant_ids.filtered(lambda q: q.location_id == self.quarantine_location)
        self.assertEqual(
            (quant.lot_release_state, quant.lot_release_reasons), ("blocked", self.held.release_reasons)
        )

    def test_search_by_status(self):
        lots = self.good | self.held | self.dead
        Lot = self.env["stock.lot"]
        self.assertEqual(
            Lot.search([("id", "in", lots.ids), ("release_state", "=", "blocked")]), self.held | self.dead
        )
        self.assertEqual(Lot.search([("id", "in", lots.ids), ("release_state", "=", "released")]), self.good)
        self.assertEqual(Lot.search([("id", "in", lots.ids), ("release_state", "!=", "blocked")]), self.good)
        with self.assertRaises(UserError):
            Lot.search([("release_state", "in", ["blocked"])])

    def test_one_method_answers_for_every_operation(self):
        lots = self.good | self.held | self.dead
        refused = {
            operation: set(lots.browse(list(lots._release_refusals([operation]))).mapped("name"))
            for operation in ("internal", "customer", "production", "supplier", "scrap", "quarantine")
        }
        self.assertEqual(
            refused,
            {
                "internal": {"POL-HELD"},
                "customer": {"POL-HELD", "POL-DEAD"},
                "production": {"POL-HELD", "POL-DEAD"},
                "supplier": set(),
                "scrap": set(),
                "quarantine": set(),
            },
        )
        self.assertEqual(set(lots._release_refusals([], reserve=True)), {self.held.id, self.dead.id})
        # The customer's contract counts for the customer only.
        self.assertIn(self.good.id, lots._release_refusals(["customer"], self.hospital))
        self.assertNotIn(self.good.id, lots._release_refusals(["customer"], self.pharmacy))
        self.assertEqual(
            self.good._release_refusals(["customer"], self.hospital)[self.good.id][0].code, "short_shelf_life"
        )

    def test_the_matrix_is_configuration_for_quality_managers(self):
        rule = self.env.ref("batch_expiry.release_rule_expired")
        with mute_logger("odoo.addons.base.models.ir_model"), self.assertRaises(AccessError):
            rule.with_user(self.stock_user).write({"allow_customer": True})
        with self.assertRaises(UserError):
            self.env["stock.lot.release.rule"].with_user(self.quality_manager).create(
                {"code": "mine", "name": "Mine"}
            )
        with self.assertRaises(UserError):
            rule.with_user(self.quality_manager).write({"code": "other"})
        with self.assertRaises(UserError):
            rule.unlink()
        # Delivering expired stock is refused...
        self.assertIn(self.dead.id, self.dead._release_refusals(["customer"]))
        # ... until a quality manager allows it (the cache follows the rule).
        rule.with_user(self.quality_manager).write({"allow_customer": True})
        self.assertNotIn(self.dead.id, self.dead._release_refusals(["customer"]))

    def test_a_new_lot_form_opens_and_saves(self):
        form = Form(self.env["stock.lot"])
        self.assertEqual(form.expiry_state, "no_expiry")
        form.name = "POL-NEW"
        form.product_id = self.product
        lot = form.save()
        self.assertEqual(lot.release_state, "released")
        self.assertTrue(lot.expiration_date, "product_expiry sets the date from the product")


@tagged("post_install", "-at_install")
class TestReservationPoint(ReleasePolicyCase):
    """The non-strict gathering that chooses quants to reserve keeps held lots out."""

    def test_reservation_takes_only_released_lots(self):
        # Quarantined stock put back in WH/Stock by hand (no transfer) is still not taken.
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, 4, lot_id=self.held)
        picking = self.delivery(30)
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, self.good)
        self.assertEqual(picking.move_ids.quantity, 10)
        self.assertQuantsExact(self.product)

    def test_shelf_life_contract_at_reservation(self):
        picking = self.delivery(5)
        picking.do_unreserve()
        picking.partner_id = self.hospital
        picking.action_assign()
        self.assertFalse(picking.move_ids.move_line_ids, "400 days left, the hospital needs 500")
        self.hospital.min_shelf_life_days = 100
        picking.action_assign()
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, self.good)

    def test_the_caller_context_cannot_widen_the_reservation(self):
        picking = self.delivery(30)
        picking.do_unreserve()
        # As a client would send it: a target of another operation and another customer.
        picking.with_context(
            lot_release_target=(["scrap"], False), batch_expiry_quarantine_transfer=True
        ).action_assign()
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, self.good)

    def test_quarantining_reserved_stock_keeps_the_quants_exact(self):
        picking = self.delivery(8)
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, self.good)
        self.good.quarantine("Supplier notice")
        self.assertFalse(picking.move_ids.move_line_ids, "nothing else to reserve")
        self.assertEqual(self.quant_rows(self.good), [(self.quarantine_location.complete_name, 10.0, 0.0)])
        self.assertQuantsExact(self.product)

    def test_the_delivery_says_what_it_did_not_reserve_and_why(self):
        self.good.quarantine("Customer complaint")
        picking = self.delivery(5)
        self.assertEqual(picking.move_ids.quantity, 0)
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, 2, lot_id=self.held)
        picking.invalidate_recordset()
        picking.move_ids.invalidate_recordset()
        self.assertIn("POL-DEAD", picking.release_held_note)
        self.assertIn("expired on", picking.release_held_note)
        self.assertIn("POL-HELD", picking.release_held_note)
        self.assertIn("Broken seals", picking.release_held_note)
        self.assertEqual(picking.products_availability, "Not Available")
        with self.assertRaises(UserError) as caught:
            picking.button_validate()
        self.assertIn("held back", str(caught.exception))
        self.assertIn("POL-DEAD", str(caught.exception))


@tagged("post_install", "-at_install")
class TestDoneStep(ReleasePolicyCase):
    """The move line done step refuses held lots whatever the picking type, route or caller, and
    the quants stay exact after every operation the rules allow."""

    def test_delivery_of_a_held_lot_is_refused_naming_lot_status_reason_and_remedy(self):
        picking = self.transfer(
            self.held,
            self.quarantine_location,
            self.customer_location,
            2,
            self.warehouse.out_type_id,
            self.pharmacy,
        )
        message = self.assertRefusedUnchanged(
            picking.button_validate,
            "POL-HELD of Test Cefalexin 250 mg is Quarantined \\(Broken seals found on receipt\\)",
            "cannot be delivered to Policy Pharmacy",
            "only a quality manager can release it",
        )
        self.assertIn(picking.name, message)

    def test_every_picking_type_is_checked(self):
        for picking_type in (
            self.warehouse.in_type_id,
            self.warehouse.int_type_id,
            self.warehouse.quarantine_type_id,
        ):
            picking = self.transfer(
                self.dead, self.stock, self.customer_location, 1, picking_type, self.pharmacy
            )
            self.assertRefusedUnchanged(picking.button_validate, "POL-DEAD .* is Expired")
            # product_expiry's own confirmation of expired lots skipped, the rule still holds.
            self.assertRefusedUnchanged(
                picking.with_context(skip_expired=True).button_validate, "POL-DEAD .* is Expired"
            )
            self.assertRefusedUnchanged(picking._action_done, "POL-DEAD .* is Expired")

    def test_out_of_quarantine_only_by_release(self):
        picking = self.transfer(self.held, self.quarantine_location, self.stock, 10)
        self.assertRefusedUnchanged(picking.button_validate, "cannot be moved to WH/Stock")

    def test_production_consumption_is_refused(self):
        production = self.env["stock.location"].search(
            [("usage", "=", "production"), ("company_id", "in", (self.company.id, False))], limit=1
        )
        picking = self.transfer(self.dead, self.stock, production, 1)
        self.assertRefusedUnchanged(picking.button_validate, "cannot be consumed in production")

    def test_scrap_of_part_of_a_quarantined_lot_leaves_one_exact_quant(self):
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "lot_id": self.held.id,
                "scrap_qty": 5,
                "location_id": self.quarantine_location.id,
            }
        )
        scrap.action_validate()
        self.assertEqual(self.quant_rows(self.held), [(self.quarantine_location.complete_name, 5.0, 0.0)])
        self.assertQuantsExact(self.product)

    def test_return_to_the_supplier_leaves_exact_quants(self):
        picking = self.transfer(
            self.held, self.quarantine_location, self.supplier_location, 4, self.warehouse.out_type_id
        )
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(self.quant_rows(self.held), [(self.quarantine_location.complete_name, 6.0, 0.0)])
        self.assertQuantsExact(self.product)

    def test_inventory_count_in_quarantine_leaves_one_exact_quant(self):
        quant = self.held.quant_ids.filtered(lambda q: q.location_id == self.quarantine_location)
        quant.with_context(inventory_mode=True).inventory_quantity = 8
        quant.action_apply_inventory()
        self.assertEqual(self.quant_rows(self.held), [(self.quarantine_location.complete_name, 8.0, 0.0)])
        self.assertQuantsExact(self.product)
        # Counting held stock into the sellable stock is refused: count it where it is held.
        count = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.product.id,
                    "lot_id": self.held.id,
                    "location_id": self.stock.id,
                    "inventory_quantity": 3,
                }
            )
        )
        self.assertRefusedUnchanged(count.action_apply_inventory, "POL-HELD .* cannot be moved to WH/Stock")

    def test_editing_a_done_delivery_cannot_ship_a_held_lot(self):
        picking = self.transfer(
            self.good, self.stock, self.customer_location, 2, self.warehouse.out_type_id, self.pharmacy
        )
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        picking.action_toggle_is_locked()
        line = picking.move_line_ids
        self.assertRefusedUnchanged(lambda: line.write({"lot_id": self.dead.id}), "POL-DEAD .* is Expired")
        # The ORM also takes a record as the value.
        self.assertRefusedUnchanged(lambda: line.write({"lot_id": self.dead}), "POL-DEAD .* is Expired")
        # A released lot may replace it: Odoo moves the stock at once, exactly.
        other = self.new_lot("POL-OTHER", days=500, quantity=5)
        line.write({"lot_id": other.id})
        self.assertEqual(self.quant_rows(other), [(self.stock.complete_name, 3.0, 0.0)])
        self.assertQuantsExact(self.product)
        self.assertRefusedUnchanged(
            lambda: picking.move_ids.write(
                {
                    "move_line_ids": [
                        Command.create(
                            {
                                "picking_id": picking.id,
                                "product_id": self.product.id,
                                "lot_id": self.dead.id,
                                "quantity": 1,
                                "location_id": self.stock.id,
                                "location_dest_id": self.customer_location.id,
                            }
                        )
                    ]
                }
            ),
            "POL-DEAD .* is Expired",
        )

    def test_a_lot_name_matching_a_held_lot_is_checked(self):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.supplier_location.id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "receipt",
                            "product_id": self.product.id,
                            "product_uom_qty": 3,
                            "location_id": self.supplier_location.id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()
        picking.move_ids.move_line_ids = [
            Command.create(
                {
                    "picking_id": picking.id,
                    "product_id": self.product.id,
                    "lot_name": "POL-HELD",
                    "quantity": 3,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": self.stock.id,
                }
            )
        ]
        picking.move_ids.picked = True
        self.assertRefusedUnchanged(picking.button_validate, "POL-HELD .* is Quarantined")
        # Into quarantine it may come.
        picking.move_ids.move_line_ids.location_dest_id = self.quarantine_location
        picking.button_validate()
        self.assertEqual(self.qty(self.held, self.quarantine_location), 13)
        self.assertQuantsExact(self.product)


@tagged("post_install", "-at_install")
class TestDecisionFields(ReleasePolicyCase):
    """Fields that carry a decision change only through their actions, for every user."""

    def test_lot_decision_fields_are_refused_to_every_user(self):
        for user in (self.stock_user, self.quality_user, self.quality_manager):
            lot = self.held.with_user(user)
            for vals in (
                {"is_quarantined": False},
                {"quarantine_reason": "fine"},
                {"expiration_date": fields.Datetime.now() + timedelta(days=900)},
                {"removal_date": fields.Datetime.now() + timedelta(days=900)},
                {"quarantine_event_ids": [Command.create({"action": "release", "reason": "x"})]},
            ):
                with self.assertRaises(UserError, msg=f"{user.login} writes {vals}") as caught:
                    lot.write(vals)
                self.assertIn("change only through their actions", str(caught.exception))
        self.assertTrue(self.held.is_quarantined)
        with self.assertRaises(UserError):
            self.env["stock.lot"].with_user(self.stock_user).create(
                {"name": "POL-FORGED", "product_id": self.product.id, "is_quarantined": True}
            )
        # A new lot may be created with its dates.
        lot = (
            self.env["stock.lot"]
            .with_user(self.stock_user)
            .create(
                {
                    "name": "POL-DATED",
                    "product_id": self.product.id,
                    "expiration_date": self.now + timedelta(days=30),
                }
            )
        )
        self.assertTrue(lot.expiration_date)

    def test_quarantine_history_is_written_by_the_system_only(self):
        Event = self.env["stock.lot.quarantine.event"]
        for user in (self.stock_user, self.quality_user, self.quality_manager):
            with mute_logger("odoo.addons.base.models.ir_model"), self.assertRaises(AccessError):
                Event.with_user(user).create(
                    {
                        "lot_id": self.held.id,
                        "action": "release",
                        "reason": "x",
                        "user_id": self.quality_manager.id,
                    }
                )
            with mute_logger("odoo.addons.base.models.ir_model"), self.assertRaises(AccessError):
                self.held.quarantine_event_ids.with_user(user).write({"reason": "rewritten"})

    def test_quarantine_locations_cannot_be_turned_into_normal_ones(self):
        for user in (self.stock_user, self.env.ref("base.user_admin")):
            with self.assertRaises(UserError):
                self.quarantine_location.with_user(user).write({"is_quarantine": False})
            with self.assertRaises(UserError):
                self.quarantine_location.with_user(user).write(
                    {"location_id": self.stock.id, "usage": "internal"}
                )
            with self.assertRaises(UserError):
                self.warehouse.with_user(user).write({"quarantine_location_id": self.stock.id})
        self.assertTrue(self.quarantine_location.is_quarantine)
        # Locations made under a quarantine location are quarantine locations.
        sub = self.env["stock.location"].create({"name": "Cage", "location_id": self.quarantine_location.id})
        self.assertTrue(sub.is_quarantine)
        self.assertFalse(self.stock.is_quarantine)

    def test_expiry_date_is_a_quality_decision_with_a_reason(self):
        later = self.now + timedelta(days=500)
        with mute_logger("odoo.addons.base.models.ir_model"), self.assertRaises(AccessError):
            self.good.with_user(self.quality_user).action_change_expiration_date(later, "Stability data")
        with self.assertRaises(UserError):
            self.good.with_user(self.quality_manager).action_change_expiration_date(later, " ")
        with self.assertRaises(UserError):
            self.good.with_user(self.quality_manager).action_change_expiration_date("next spring", "x")
        with self.assertRaises(UserError):
            self.good.with_user(self.quality_manager).action_change_expiration_date(later, 42)
        self.good.with_user(self.quality_manager).action_change_expiration_date(
            later, "Supplier's stability study"
        )
        self.assertEqual(self.good.expiration_date, later.replace(microsecond=0))
        self.assertIn("Supplier's stability study", self.good.message_ids[0].body)
        # An expired lot cannot be given a later date: that would release expired stock.
        with self.assertRaises(UserError) as caught:
            self.dead.with_user(self.quality_manager).action_change_expiration_date(later, "Relabel")
        self.assertIn("POL-DEAD expired on", str(caught.exception))
        self.assertEqual(self.dead.release_rule_ids.mapped("code"), ["expired"])
        # Shortening stays possible.
        self.good.with_user(self.quality_manager).action_change_expiration_date(
            self.now + timedelta(days=20), "Damp"
        )

    def test_public_methods_answer_wrong_input_with_a_clear_error(self):
        for call in (
            lambda: self.good.with_user(self.stock_user).quarantine(42),
            lambda: self.good.with_user(self.stock_user).quarantine(["a reason"]),
            lambda: self.env["stock.lot"].with_user(self.stock_user).quarantine("No lots"),
            lambda: self.held.with_user(self.quality_manager).release_quarantine(None),
            lambda: self.env["stock.lot"].with_user(self.quality_manager).release_quarantine("No lots"),
            lambda: self.good.with_user(self.quality_manager).release_quarantine("not quarantined"),
        ):
            with self.assertRaises(UserError):
                call()
        self.assertEqual(self.good.release_state, "released")
        self.assertTrue(self.held.is_quarantined)


@tagged("post_install", "-at_install")
class TestFefoReasonRecorded(ReleasePolicyCase):
    def test_a_later_lot_needs_a_recorded_reason_whatever_the_context(self):
        sooner = self.new_lot("POL-SOON", days=200, quantity=10)
        picking = self.transfer(
            self.good, self.stock, self.customer_location, 2, self.warehouse.out_type_id, self.pharmacy
        )
        # The former key that skipped the question skips nothing.
        action = picking.with_context(batch_expiry_fefo_reason="because").button_validate()
        self.assertEqual(action["res_model"], "stock.fefo.deviation.wizard")
        self.assertNotEqual(picking.state, "done")
        wizard = self.env["stock.fefo.deviation.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.line_ids.earlier_lot_id, sooner)
        wizard.reason = "The customer asked for lot POL-GOOD"
        wizard.action_confirm()
        self.assertEqual(picking.state, "done")
        deviation = picking.fefo_deviation_ids
        self.assertEqual(
            (deviation.lot_id, deviation.earlier_lot_id, deviation.reason, deviation.user_id),
            (self.good, sooner, "The customer asked for lot POL-GOOD", self.env.user),
        )
        with mute_logger("odoo.addons.base.models.ir_model"), self.assertRaises(AccessError):
            self.env["stock.fefo.deviation"].with_user(self.stock_user).create(
                {
                    "picking_id": picking.id,
                    "lot_id": self.good.id,
                    "earlier_lot_id": sooner.id,
                    "reason": "x",
                    "user_id": 1,
                }
            )
