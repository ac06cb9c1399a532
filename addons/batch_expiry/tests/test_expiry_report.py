# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from io import BytesIO

import openpyxl

from odoo.tests import tagged

from .common import BatchExpiryCase


@tagged("post_install", "-at_install")
class TestExpiryReport(BatchExpiryCase):
    """E7: the XLSX report lists near-expiry and expired stock per warehouse with quantity and value."""

    def test_xlsx_report(self):
        self.product.standard_price = 2.0
        self.new_lot("REP-NEAR", days=30, quantity=10)
        self.new_lot("REP-DEAD", days=-5, quantity=4)
        self.new_lot("REP-FINE", days=500, quantity=99)
        content, report_format = self.env["ir.actions.report"]._render_xlsx(
            "batch_expiry.action_report_expiry_xlsx", self.warehouse.ids, {}
        )
        self.assertEqual(report_format, "xlsx")
        workbook = openpyxl.load_workbook(BytesIO(content))
        rows = list(workbook["Lots"].iter_rows(values_only=True))
        self.assertEqual(rows[0][:4], ("Warehouse", "Location", "Product", "Lot"))
        by_lot = {row[3]: row for row in rows[1:]}
        self.assertEqual(set(by_lot) & {"REP-NEAR", "REP-DEAD", "REP-FINE"}, {"REP-NEAR", "REP-DEAD"})
        self.assertEqual(by_lot["REP-NEAR"][6], "Near Expiry")
        self.assertEqual(by_lot["REP-DEAD"][6], "Expired")
        self.assertEqual((by_lot["REP-NEAR"][8], by_lot["REP-NEAR"][11]), (10, 20))
        summary = {
            (row[0], row[1]): row[2:] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)
        }
        self.assertGreaterEqual(summary[(self.warehouse.name, "Expired")][0], 4)

    def test_menu_prints_every_warehouse(self):
        action = self.env["stock.warehouse"].action_print_expiry_report()
        self.assertEqual(action["report_type"], "xlsx")
        self.assertIn(self.warehouse.id, action["context"]["active_ids"])

    def test_stock_value_by_expiry_state(self):
        self.product.standard_price = 3.0
        self.new_lot("AN-NEAR", days=30, quantity=10)
        self.new_lot("AN-FINE", days=500, quantity=2)
        self.env.flush_all()
        analysis = self.env["stock.expiry.analysis"]
        groups = analysis.read_group(
            [("product_id", "=", self.product.id)], ["value:sum", "quantity:sum"], ["expiry_state"]
        )
        by_state = {group["expiry_state"]: (group["quantity"], group["value"]) for group in groups}
        self.assertEqual(by_state, {"near_expiry": (10, 30), "valid": (2, 6)})
        row = analysis.search([("lot_id.name", "=", "AN-NEAR")])
        self.assertEqual(row.warehouse_id, self.warehouse)
        views = analysis.get_views([(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")])
        self.assertEqual(set(views["views"]), {"pivot", "graph", "list", "search"})
        line_views = self.env["stock.move.line"].get_views(
            [(self.env.ref("stock.view_move_line_tree").id, "list")]
        )
        self.assertIn("lot_expiry_state", line_views["views"]["list"]["arch"])
