# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import BatchExpiryCase

CLERK_ACTIONS = (
    "batch_expiry.action_lot_near_expiry",
    "batch_expiry.action_lot_expired",
    "batch_expiry.action_lot_quarantined",
)


@tagged("post_install", "-at_install")
class TestClerkLists(BatchExpiryCase):
    """The Near Expiry, Expired and Quarantined lot lists a clerk opens every day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Location = cls.env["stock.location"]
        cls.shelf_a = Location.create({"name": "Shelf A", "location_id": cls.stock.id})
        cls.shelf_b = Location.create({"name": "Shelf B", "location_id": cls.stock.id})

    def arch(self, view_type, view=None):
        views = self.env[view.model if view else "stock.lot"].get_views([(view and view.id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def list_arch(self, action):
        return self.arch("list", action.view_id)

    def test_lists_open_ungrouped_without_new_and_with_the_clerk_columns(self):
        for xmlid in CLERK_ACTIONS:
            action = self.env.ref(xmlid)
            with self.subTest(action=xmlid):
                context = safe_eval(action.context or "{}", {"uid": self.env.uid})
                self.assertFalse(
                    [key for key in context if "group_by" in key], "the list opens flat, not grouped"
                )
                self.assertEqual(action.view_id, self.env.ref("batch_expiry.view_lot_list_expiry_clerk"))
                arch = self.list_arch(action)
                self.assertEqual(arch.tag, "list")
                self.assertIn(arch.get("create"), ("0", "false", "False"), "no New button")
                columns = [field.get("name") for field in arch.iter("field")]
                for name in (
                    "expiration_date",
                    "remaining_shelf_life_days",
                    "product_qty",
                    "stock_location_names",
                ):
                    self.assertIn(name, columns)
        # The generic list of lots keeps its New button.
        generic = self.arch("list", self.env.ref("stock.view_production_lot_tree"))
        self.assertNotIn(generic.get("create"), ("0", "false", "False"))
        # Grouping stays on offer in the search view.
        search = self.arch("search")
        self.assertTrue(search.xpath("//filter[@name='group_by_product']"))

    def test_locations_of_each_lot_from_its_positive_internal_quants(self):
        two_places = self.new_lot("TWO-PLACES", days=60, quantity=7, location=self.shelf_a)
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.quarantine_location, 3, lot_id=two_places
        )
        # Not counted: stock at a customer, and a place the lot left (a quant down to 0).
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.customer_location, 4, lot_id=two_places
        )
        self.env["stock.quant"]._update_available_quantity(self.product, self.shelf_b, 5, lot_id=two_places)
        self.env["stock.quant"]._update_available_quantity(self.product, self.shelf_b, -5, lot_id=two_places)
        one_place = self.new_lot("ONE-PLACE", days=30, quantity=2, location=self.shelf_b)
        no_stock = self.new_lot("NO-STOCK", days=20)

        lots = two_places | one_place | no_stock
        lots.invalidate_recordset(["stock_location_names"])
        self.assertEqual(
            lots.mapped("stock_location_names"),
            [
                ", ".join(sorted([self.shelf_a.complete_name, self.quarantine_location.complete_name])),
                self.shelf_b.complete_name,
                False,
            ],
        )
        self.assertEqual(two_places.product_qty, 10, "on hand: the internal stock of the lot")

    def test_locations_computed_for_all_lots_at_once(self):
        def queries(lots):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            lots.mapped("stock_location_names")
            return self.env.cr.sql_log_count - before

        locations = [self.stock, self.shelf_a, self.shelf_b, self.quarantine_location]
        lots = self.env["stock.lot"].browse(
            [self.new_lot(f"MANY-{n}", days=40, quantity=1, location=locations[n % 4]).id for n in range(8)]
        )
        two = self.env["stock.lot"].browse(lots[:2].ids)  # its own prefetch set: 2 lots, not 8
        self.env.flush_all()
        queries(two)  # warm the caches that outlive a transaction (access rules...)
        for_two = queries(two)
        self.assertGreater(for_two, 0)
        self.assertEqual(queries(lots), for_two, "the same queries for 8 lots as for 2")
        self.assertEqual(
            lots.mapped("stock_location_names"), [locations[n % 4].complete_name for n in range(8)]
        )

    def test_no_shelf_life_shown_without_expiration_date(self):
        undated = self.new_lot("UNDATED", quantity=1)
        undated.expiration_date = False
        self.assertEqual(undated.expiry_state, "no_expiry")
        self.assertFalse(undated.remaining_shelf_life_days)
        self.assertFalse(undated.remaining_shelf_life_percent)
        # An Integer reads 0 for False: the views hide it on lots without an expiration date.
        clerk = self.list_arch(self.env.ref("batch_expiry.action_lot_near_expiry"))
        generic = self.arch("list", self.env.ref("stock.view_production_lot_tree"))
        form = self.arch("form")
        for label, arch, names in (
            ("clerk list", clerk, ["remaining_shelf_life_days"]),
            ("lot list", generic, ["remaining_shelf_life_days"]),
            ("lot form", form, ["remaining_shelf_life_days", "remaining_shelf_life_percent"]),
        ):
            for name in names:
                fields = arch.xpath(f"//field[@name='{name}']")
                with self.subTest(view=label, field=name):
                    self.assertTrue(fields)
                    for field in fields:
                        self.assertEqual(field.get("invisible"), "not expiration_date")

    def test_quality_app_in_settings(self):
        arch = self.arch("form", self.env.ref("base.res_config_settings_view_form"))
        apps = arch.xpath("//app[@name='batch_expiry']")
        self.assertEqual(len(apps), 1)
        self.assertEqual(apps[0].get("string"), "Quality")
        ours = ["batch_expiry_setting_container"]
        # capa and recall_management have no settings; gsp_compliance's block when it is installed.
        if self.env["ir.module.module"]._get("gsp_compliance").state == "installed":
            ours.append("gsp_setting_container")
        self.assertEqual([block.get("name") for block in apps[0].iter("block")], ours)
        for name in ours:
            self.assertEqual(len(arch.xpath(f"//block[@name='{name}']")), 1, "only in the Quality app")
        self.assertTrue(apps[0].xpath(".//field[@name='expiry_warning_days']"))
        # Inventory's upgrade offer for Odoo Enterprise's quality checks is hidden.
        self.assertEqual(arch.xpath("//setting[@id='quality_control']")[0].get("invisible"), "1")
        # Quality > Configuration > Settings opens Settings at this app.
        menu = self.env.ref("batch_expiry.menu_quality_config_settings")
        self.assertEqual(menu.parent_id, self.env.ref("capa.menu_quality_configuration"))
        self.assertEqual(menu.action.res_model, "res.config.settings")
        self.assertEqual(safe_eval(menu.action.context)["module"], "batch_expiry")
