# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.batch_expiry.tests.test_release_rpc import ROUTES, RpcMixin

from .common import RecallCase, decide


@tagged("post_install", "-at_install")
class TestRecallReleasePolicy(RecallCase):
    """A recall in progress holds its lots back through the lot-release policy, and every
    operation of its life keeps the quant table exact."""

    def test_recalled_is_a_status_of_the_lot(self):
        event = self.started_event()
        self.assertEqual(sorted(self.lot.release_rule_ids.mapped("code")), ["quarantined", "recalled"])
        self.assertIn(event.name, self.lot.release_reasons)
        self.assertEqual(self.other_lot.release_state, "released")
        self.assertIn(
            self.lot,
            self.env["stock.lot"].search(
                [("release_state", "=", "blocked"), ("product_id", "=", self.product.id)]
            ),
        )
        self.assertQuantsExact(self.product)

    def test_a_lot_leaves_a_recall_only_through_its_trace(self):
        event = self.started_event()
        for user in (self.stock_user, self.quality_user, self.quality_manager):
            with self.assertRaises(UserError):
                self.lot.with_user(user).write({"recall_event_ids": [Command.unlink(event.id)]})
            with self.assertRaises(UserError):
                event.with_user(user).write({"lot_ids": [Command.unlink(self.lot.id)]})
        self.assertIn(self.lot, event.lot_ids)
        self.assertEqual(self.env["recall.event"]._blocking_events_by_lot(self.lot), {self.lot: event})

    def test_every_disposition_keeps_the_quants_exact(self):
        event = self.started_event()
        quarantine = self.warehouse.quarantine_location_id
        # Sorted: the order of location names depends on their language (the quarantine is the
        # company's, Chinese in the demo).
        self.assertEqual(
            sorted(self.quant_rows(self.lot)),
            sorted([(quarantine.complete_name, 50.0, 0.0), (self.transit.complete_name, 7.0, 0.0)]),
        )
        dispositions = self.env["recall.disposition"].create(
            [
                {
                    "event_id": event.id,
                    "lot_id": self.lot.id,
                    "quantity": 5,
                    "location_id": quarantine.id,
                    "action": action,
                }
                for action in ("destroy", "return_to_vendor", "rework")
            ]
        )
        self.env["ir.attachment"].create(
            {
                "name": "destruction.pdf",
                "raw": b"%PDF-1.4",
                "res_model": "recall.disposition",
                "res_id": dispositions[0].id,
            }
        )
        decide(dispositions.with_user(self.quality_manager), "action_execute")
        rework = event._rework_location(self.warehouse)
        self.assertEqual(
            sorted(self.quant_rows(self.lot)),
            sorted(
                [
                    (quarantine.complete_name, 35.0, 0.0),
                    (rework.complete_name, 5.0, 0.0),
                    (self.transit.complete_name, 7.0, 0.0),
                ]
            ),
        )
        self.assertQuantsExact(self.product)
        release = self.env["recall.disposition"].create(
            {
                "event_id": event.id,
                "lot_id": self.lot.id,
                "quantity": 35,
                "location_id": quarantine.id,
                "action": "release",
                "reason": "Retest of retained samples passed",
            }
        )
        decide(release.with_user(self.quality_manager), "action_execute")
        self.assertEqual(self.lot.release_state, "released")
        self.assertEqual(
            self.quant_rows(self.lot),
            [(self.transit.complete_name, 7.0, 0.0), (self.stock.complete_name, 40.0, 0.0)],
        )
        self.assertQuantsExact(self.product)

    def test_the_trace_and_notices_are_in_the_product_unit(self):
        dozens = self.env.ref("uom.product_uom_dozen")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer_2.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "dozens",
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "product_uom": dozens.id,
                            "location_id": self.stock.id,
                            "location_dest_id": self.customer_location.id,
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
                    "product_uom_id": dozens.id,
                    "lot_id": self.lot.id,
                    "quantity": 2,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customer_location.id,
                }
            )
        ]
        picking.move_ids.picked = True
        picking._action_done()
        event = self.started_event()
        line = event.trace_line_ids.filtered(lambda t: t.picking_id == picking)
        self.assertEqual((line.quantity, line.uom_id), (24.0, self.product.uom_id))
        notice = event.notice_ids.filtered(lambda n: n.partner_id == self.customer_2)
        self.assertEqual(notice.line_ids.qty_delivered, 15 + 24)
        self.assertEqual(notice.line_ids.uom_id, self.product.uom_id)

    def test_scope_dates_are_the_company_s_days(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        late_lot = self.env["stock.lot"].create({"name": "RC-TZ", "product_id": self.product.id})
        # 17:00 UTC on 1 March is 01:00 on 2 March in Shanghai.
        with freeze_time("2026-03-01 17:00:00"):
            self.move(
                self.supplier_location, self.stock, 4, self.warehouse.in_type_id, self.supplier, lot=late_lot
            )
        event = self.new_event(lines=[{"product_id": self.product.id, "date_from": date(2026, 3, 2)}])
        self.assertIn(late_lot, event.line_ids._lots())
        event.line_ids.write({"date_from": date(2026, 2, 1), "date_to": date(2026, 3, 1)})
        self.assertNotIn(late_lot, event.line_ids._lots())

    def test_deadlines_are_the_company_s_days(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        event = self.new_event(level_id=self.env.ref("recall_management.recall_level_1").id)
        event.action_submit()
        # Approved at 20:00 UTC on 1 March: notify within 24 h, by 04:00 on 3 March in Shanghai.
        with freeze_time(datetime(2026, 3, 1, 20, 0)):
            decide(event.with_user(self.quality_manager), "action_approve")
        activity = event.activity_ids.filtered(lambda a: "Notify the customers" in a.summary)
        self.assertEqual(activity.date_deadline, date(2026, 3, 3))
        self.assertIn("2026-03-03 04:00 (Asia/Shanghai)", activity.note)


@tagged("post_install", "-at_install")
class TestRecallReleasePolicyOverRpc(RpcMixin, RecallCase, HttpCase):
    def test_recalled_lots_cannot_be_released_over_rpc(self):
        event = self.started_event()
        for route in ROUTES:
            for user in (self.stock_user, self.quality_user):
                error, _result = self.rpc(
                    route, user, "stock.lot", "write", [self.lot.ids, {"recall_event_ids": [[3, event.id]]}]
                )
                self.assertTrue(error, f"{route} {user.login}")
            error, _result = self.rpc(
                route,
                self.quality_manager,
                "stock.lot",
                "release_quarantine",
                [self.lot.ids, "Looks fine"],
                {"context": {"recall_release_event_id": event.id}},
            )
            # Refused for the recall, or first for the missing signature when gsp_compliance is there.
            self.assertRegex(error or "", "RC-L1 .* is Recalled|requires an electronic signature", route)
        self.lot.invalidate_recordset()
        self.assertTrue(self.lot.is_quarantined)
        self.assertIn(event, self.lot.recall_event_ids)
