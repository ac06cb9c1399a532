# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from collections import defaultdict

from odoo import Command
from odoo.tests import Form, tagged
from odoo.tools import float_round

from .common import RecallCase


def _key(row):
    return (
        row["lot_id"],
        row["kind"],
        row["partner_id"] or 0,
        row["location_id"] or 0,
        row["picking_id"] or 0,
    )


@tagged("post_install", "-at_install")
class TestRecallTrace(RecallCase):
    def totals(self, event, kind, **where):
        lines = event.trace_line_ids.filtered(lambda t: t.kind == kind)
        for field, value in where.items():
            lines = lines.filtered(lambda t, f=field, v=value: t[f] == v)
        return sum(lines.mapped("quantity"))

    def test_trace_upstream_downstream_and_balance(self):
        event = self.new_event()
        event.action_trace()
        self.assertEqual(event.lot_ids, self.lot)
        # Upstream: the two supplier receipts.
        receipts = event.trace_line_ids.filtered(lambda t: t.direction == "upstream")
        self.assertEqual(set(receipts.mapped("kind")), {"supplier_receipt"})
        self.assertEqual(sorted(receipts.mapped("quantity")), [40, 60])
        self.assertEqual(receipts.partner_id, self.supplier)
        self.assertEqual(receipts.picking_id, self.receipts)
        # Downstream, per customer: delivered minus returned, the contact counted for its company.
        by_customer = defaultdict(float)
        for line in event.trace_line_ids.filtered(
            lambda t: t.kind in ("customer_delivery", "customer_return")
        ):
            by_customer[line.partner_id] += line.quantity
        self.assertEqual(dict(by_customer), {self.customer_1: 15, self.customer_2: 15, self.customer_3: 10})
        self.assertEqual(self.totals(event, "customer_return", partner_id=self.customer_1), -5)
        # The pick step of the two-step delivery is an internal move: only the ship counts.
        self.assertEqual(self.totals(event, "customer_delivery", partner_id=self.customer_3), 10)
        # On hand per location, in transit and scrapped.
        self.assertEqual(self.totals(event, "on_hand", location_id=self.stock), 35)
        self.assertEqual(self.totals(event, "on_hand", location_id=self.shelf), 15)
        self.assertEqual(self.totals(event, "on_hand", location_id=self.output), 0)
        self.assertEqual(self.totals(event, "in_transit", location_id=self.transit), 7)
        self.assertEqual(self.totals(event, "scrap"), 3)
        # Everything received is accounted for.
        downstream = sum(
            event.trace_line_ids.filtered(lambda t: t.direction == "downstream").mapped("quantity")
        )
        self.assertEqual(downstream, 100)
        self.assertEqual(event.qty_distributed, 40)
        self.assertEqual(event.qty_on_hand, 57)
        self.assertGreater(event.time_to_trace_seconds, 0)
        self.assertFalse(event.trace_stale)

    def test_trace_scope_without_lot(self):
        """A line without a lot recalls every lot of the product; a supplier or a date range
        narrows it to the lots received from that supplier, in that range."""
        event = self.new_event(lines=[{"product_id": self.product.id}])
        event.action_trace()
        self.assertEqual(event.lot_ids, self.lot | self.other_lot)
        event.line_ids.supplier_id = self.customer_1
        self.assertTrue(event.trace_stale is False or event.trace_stale)
        self.assertFalse(event.line_ids._lots())
        event.line_ids.supplier_id = self.supplier
        self.assertEqual(event.line_ids._lots(), self.lot | self.other_lot)
        event.line_ids.write({"supplier_id": False, "date_from": "2000-01-01", "date_to": "2000-12-31"})
        self.assertFalse(event.line_ids._lots())

    def test_scope_change_makes_the_trace_stale(self):
        event = self.new_event()
        event.action_trace()
        self.assertFalse(event.trace_stale)
        event.write(
            {"line_ids": [Command.create({"product_id": self.product.id, "lot_id": self.other_lot.id})]}
        )
        self.assertTrue(event.trace_stale)

    def naive_orm_trace(self, lots):
        """The trace the slow way: every done move line of each lot, one search per lot, and
        the quants; classified in Python."""
        rows = defaultdict(float)
        for lot in lots:
            for line in self.env["stock.move.line"].search([("lot_id", "=", lot.id), ("state", "=", "done")]):
                src, dst = line.location_id, line.location_dest_id
                picking = line.picking_id or line.move_id.picking_id
                partner = (picking.partner_id or line.move_id.partner_id).commercial_partner_id
                quantity = line.quantity_product_uom
                if src.usage == "supplier":
                    kind, location = "supplier_receipt", src
                elif dst.usage == "supplier":
                    kind, location, quantity = "supplier_receipt", dst, -quantity
                elif dst.usage == "customer":
                    kind, location = "customer_delivery", dst
                elif src.usage == "customer":
                    kind, location, quantity = "customer_return", src, -quantity
                elif dst.usage == "production":
                    kind, location, partner = "consumed", dst, partner.browse()
                elif src.usage == "production":
                    kind, location, partner = "produced", src, partner.browse()
                elif dst.scrap_location:
                    kind, location, partner = "scrap", dst, partner.browse()
                else:
                    continue
                if kind in ("consumed", "produced", "scrap"):
                    partner = partner.browse()
                rows[(lot.id, kind, partner.id or 0, location.id, picking.id or 0)] += quantity
            for quant in self.env["stock.quant"].search([("lot_id", "=", lot.id)]):
                if quant.location_id.usage not in ("internal", "transit"):
                    continue
                kind = "in_transit" if quant.location_id.usage == "transit" else "on_hand"
                rows[(lot.id, kind, 0, quant.location_id.id, 0)] += quant.quantity
        return {key: float_round(qty, 4) for key, qty in rows.items() if qty}

    def test_sql_trace_matches_a_naive_orm_walk(self):
        lots = self.lot | self.other_lot
        sql_rows = self.env["recall.trace.line"]._trace_rows(lots.ids)
        sql = defaultdict(float)
        for row in sql_rows:
            sql[_key(row)] += row["quantity"]
        sql = {key: float_round(qty, 4) for key, qty in sql.items() if qty}
        self.assertEqual(sql, self.naive_orm_trace(lots))
        self.assertGreater(len(sql), 10)

    def test_trace_is_one_query(self):
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.env["recall.trace.line"]._trace_rows((self.lot | self.other_lot).ids)

    def test_trace_follows_manufacturing(self):
        """With mrp installed (make test installs it), lots made from a recalled lot are traced too."""
        if "mrp.production" not in self.env:
            self.skipTest("mrp is not installed: manufacturing is not traced")
        finished = self.env["product.product"].create(
            {"name": "Recall Infusion Kit", "is_storable": True, "tracking": "lot"}
        )
        bom = self.env["mrp.bom"].create(
            {
                "product_tmpl_id": finished.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": self.product.id, "product_qty": 2})],
            }
        )
        kit_lot = self.env["stock.lot"].create(
            {"name": "KIT-1", "product_id": finished.id, "company_id": self.company.id}
        )
        production = self.env["mrp.production"].create(
            {"product_id": finished.id, "bom_id": bom.id, "product_qty": 1, "location_src_id": self.stock.id}
        )
        production.action_confirm()
        production.move_raw_ids.move_line_ids.unlink()
        production.move_raw_ids.write(
            {
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "lot_id": self.lot.id,
                            "quantity": 2,
                            "location_id": self.stock.id,
                            "location_dest_id": production.move_raw_ids.location_dest_id.id,
                        }
                    )
                ],
                "picked": True,
            }
        )
        with Form(production) as form:
            form.qty_producing = 1
            form.lot_producing_id = kit_lot
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        self.move(
            self.stock, self.customer_location, 1, self.warehouse.out_type_id, self.customer_2, lot=kit_lot
        )

        event = self.new_event()
        event.action_trace()
        self.assertEqual(event.lot_ids, self.lot | kit_lot)
        self.assertEqual(self.totals(event, "consumed", lot_id=self.lot), 2)
        self.assertEqual(self.totals(event, "produced", lot_id=kit_lot), 1)
        self.assertEqual(
            self.totals(event, "customer_delivery", lot_id=kit_lot, partner_id=self.customer_2), 1
        )
        # RC-L1 still balances: 100 received = 40 at customers + 55 own stock and in transit
        # + 3 scrapped + 2 consumed.
        recalled = event.trace_line_ids.filtered(
            lambda t: t.lot_id == self.lot and t.direction == "downstream"
        )
        self.assertEqual(sum(recalled.mapped("quantity")), 100)
        # The notice to Customer Two names the kit too.
        sql = defaultdict(float)
        for row in self.env["recall.trace.line"]._trace_rows(self.lot.ids):
            sql[_key(row)] += row["quantity"]
        self.assertEqual(
            {k: float_round(v, 4) for k, v in sql.items() if v}, self.naive_orm_trace(self.lot | kit_lot)
        )
