# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import BatchExpiryCase


@tagged("post_install", "-at_install")
class TestNearExpiryDigest(BatchExpiryCase):
    """E4: one digest per responsible user, one activity per product, each lot reported once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = new_test_user(cls.env, "be_buyer", groups="stock.group_stock_user", name="Bella Buyer")
        cls.other_product = cls.env["product.product"].create(
            {
                "name": "Test Ibuprofen 200 mg",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
                "standard_price": 2.5,
            }
        )
        cls.other_product.responsible_id = cls.buyer
        cls.product.standard_price = 4.0
        cls.product.responsible_id = False  # no responsible: the inventory managers are told
        cls.managers = cls.env.ref("stock.group_stock_manager").users.filtered(
            lambda u: not u.share and cls.company in u.company_ids
        )

    def digests(self, user):
        return self.env["mail.message"].search(
            [("partner_ids", "in", user.partner_id.ids), ("subject", "ilike", "near-expiry window")]
        )

    def test_one_digest_per_user_and_one_activity_per_product(self):
        a1 = self.new_lot("DIG-A1", days=100, quantity=10)
        a2 = self.new_lot("DIG-A2", days=110, quantity=5)
        b1 = self.new_lot("DIG-B1", days=100, product=self.other_product, quantity=8)
        self.new_lot("DIG-FAR", days=400, quantity=3)
        self.new_lot("DIG-EMPTY", days=100)  # no stock: nothing to report
        with freeze_time(self.now + timedelta(days=30)):
            self.env["stock.lot"]._cron_expiry_scan()
        buyer_digest = self.digests(self.buyer)
        self.assertEqual(len(buyer_digest), 1)
        self.assertIn("DIG-B1", buyer_digest.body)
        self.assertNotIn("DIG-A1", buyer_digest.body)
        self.assertIn("20.00", buyer_digest.body, "value: 8 x 2.50")
        for manager in self.managers:
            digest = self.digests(manager)
            self.assertEqual(len(digest), 1, "one digest, not one mail per lot")
            self.assertIn("DIG-A1", digest.body)
            self.assertIn("DIG-A2", digest.body)
            self.assertIn(self.stock.complete_name, digest.body)
            self.assertNotIn("DIG-FAR", digest.body)
            self.assertNotIn("DIG-EMPTY", digest.body)
        activity_type = self.env.ref("batch_expiry.mail_activity_type_near_expiry")
        activities = self.env["mail.activity"].search([("activity_type_id", "=", activity_type.id)])
        self.assertEqual(
            activities.filtered(lambda a: a.user_id == self.buyer).res_id,
            self.other_product.product_tmpl_id.id,
        )
        self.assertEqual(
            len(activities.filtered(lambda a: a.res_id == self.product.product_tmpl_id.id)),
            len(self.managers),
        )
        self.assertTrue(all((a1 | a2 | b1).mapped("near_expiry_notified")))

    def test_never_the_same_lot_twice(self):
        self.new_lot("ONCE", days=100, quantity=4)
        with freeze_time(self.now + timedelta(days=30)):
            self.env["stock.lot"]._cron_expiry_scan()
        with freeze_time(self.now + timedelta(days=31)):
            self.env["stock.lot"]._cron_expiry_scan()
        for manager in self.managers:
            self.assertEqual(len(self.digests(manager)), 1)
