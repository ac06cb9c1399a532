# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import BatchExpiryCase


@tagged("post_install", "-at_install")
class TestExpiryState(BatchExpiryCase):
    def test_states_and_remaining_life(self):
        far = self.new_lot("FAR", days=200)
        near = self.new_lot("NEAR", days=60)
        expired = self.new_lot("OLD", days=-3)
        undated = self.new_lot("NODATE")
        undated.expiration_date = False
        self.assertEqual(
            [lot.expiry_state for lot in (far, near, expired, undated)],
            ["valid", "near_expiry", "expired", "no_expiry"],
        )
        # 200 days counted in local days: 201 within an hour of midnight when a DST change falls between.
        self.assertIn(far.remaining_shelf_life_days, (199, 200, 201))
        self.assertLess(expired.remaining_shelf_life_days, 0)
        self.assertAlmostEqual(
            far.remaining_shelf_life_percent, 100.0 * far.remaining_shelf_life_days / 365, 1
        )
        self.assertEqual(expired.remaining_shelf_life_percent, 0.0)

    def test_warning_window_product_then_category_then_company(self):
        lot = self.new_lot("L95", days=95)
        self.assertEqual(lot.expiry_state, "valid", "company: 90 days")
        self.category.expiry_warning_days = 100
        self.assertEqual(lot.expiry_state, "near_expiry", "category: 100 days")
        self.product.expiry_warning_days = 30
        self.assertEqual(lot.expiry_state, "valid", "product: 30 days")
        self.product.expiry_warning_days = 0
        self.category.expiry_warning_days = 0
        self.company.expiry_warning_days = 120
        self.env["stock.lot"]._cron_expiry_scan()
        self.assertEqual(lot.expiry_state, "near_expiry", "company: 120 days, applied by the scan")

    def test_daily_scan_moves_lots_along(self):
        lot = self.new_lot("SCAN", days=100)
        other = self.new_lot("STAYS", days=1000)
        self.assertEqual(lot.expiry_state, "valid")
        scan = self.env["stock.lot"]._cron_expiry_scan
        self.assertFalse(scan() & lot)
        with freeze_time(self.now + timedelta(days=15)):
            self.assertEqual(scan() & (lot | other), lot)
            self.assertEqual(lot.expiry_state, "near_expiry")
        with freeze_time(self.now + timedelta(days=101)):
            scan()
            self.env.cr.execute("SELECT expiry_state FROM stock_lot WHERE id = %s", [lot.id])
            self.assertEqual(self.env.cr.fetchone()[0], "expired")
            self.assertEqual(lot.expiry_state, "expired")
            self.assertLess(lot.remaining_shelf_life_days, 0)
        self.assertEqual(other.expiry_state, "valid")

    def test_lots_grouped_by_warehouse_and_state(self):
        self.new_lot("GRP-NEAR", days=30, quantity=5)
        groups = self.env["stock.lot"].read_group(
            [("name", "=", "GRP-NEAR")], ["name"], ["warehouse_id", "expiry_state"], lazy=False
        )
        self.assertEqual(
            (groups[0]["warehouse_id"][0], groups[0]["expiry_state"]), (self.warehouse.id, "near_expiry")
        )

    def test_bad_settings_are_refused(self):
        with self.assertRaises(ValidationError):
            self.company.expiry_warning_days = -1
        with self.assertRaises(ValidationError):
            self.product.expiry_warning_days = -5
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create({"name": "Hospital", "min_shelf_life_days": -10})
        template = self.product.product_tmpl_id
        with self.assertRaises(ValidationError):
            template.write({"has_storage_range": True, "storage_temp_min": 8, "storage_temp_max": 2})
        template.write({"has_storage_range": True, "storage_temp_min": 2, "storage_temp_max": 8})
        self.assertEqual((template.storage_temp_min, template.storage_temp_max), (2, 8))
