# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged

from .common import GspMixin


@tagged("post_install", "-at_install")
class TestGspAuditCompleteness(GspMixin, TransactionCase):
    """G1: the trail records what changes without anyone calling write (stored computed fields),
    what the modules write in SQL, and its queued entries never break a transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_gsp()

    def new_delivery(self, quantity=2):
        stock = self.warehouse.lot_stock_id
        customers = self.env.ref("stock.stock_location_customers")
        return self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "location_id": stock.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": quantity,
                            "location_id": stock.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )

    def test_a_transfers_computed_state_is_recorded(self):
        """A transfer's state follows its moves (a stored computed field): each change is in the
        trail with the old and new state; its first computation is the creation, not a change."""
        delivery = self.new_delivery()
        self.flush_audit()
        self.assertFalse(self.entries(delivery, "write"), "the first computation is no change")
        delivery.action_confirm()
        delivery.action_assign()
        states = [self.changes(entry).get("state") for entry in self.entries(delivery, "write")]
        self.assertIn(("draft", "assigned"), states)
        delivery.action_cancel()
        entries = self.entries(delivery, "write")
        self.assertEqual(self.changes(entries[-1])["state"], ("assigned", "cancel"))
        self.assertEqual(entries[-1].user_id, self.env.user)

    def test_a_lots_computed_dates_are_recorded_once(self):
        """The expiry date of a lot is computed (product_expiry) and writable: a change through
        write() is recorded once, by its user, with its old value, and not again by the flush that
        writes it to the database."""
        self.lot.expiration_date = "2031-01-01 00:00:00"
        self.flush_audit()
        before = self.entries(self.lot, "write")
        self.lot.with_user(self.quality_manager).action_change_expiration_date(
            "2032-01-01 00:00:00", "Stability data"
        )
        entries = self.entries(self.lot, "write") - before
        dated = entries.filtered(lambda entry: "expiration_date" in self.changes(entry))
        self.assertEqual(len(dated), 1)
        self.assertEqual(dated.user_id, self.quality_manager)
        self.assertEqual(
            self.changes(dated)["expiration_date"], ("2031-01-01 00:00:00", "2032-01-01 00:00:00")
        )

    def test_the_expiry_scans_sql_write_is_recorded(self):
        """The daily expiry scan updates expiry states in one SQL statement: each lot whose state
        changed gets its entry, like an ORM change."""
        past = fields.Datetime.now() - timedelta(days=1)
        self.lot.expiration_date = past
        self.env.flush_all()
        # The lot as yesterday's scan left it: the date has passed since, the state not yet.
        self.env.cr.execute("UPDATE stock_lot SET expiry_state = 'valid' WHERE id = %s", [self.lot.id])
        self.lot.invalidate_recordset(["expiry_state"])
        self.flush_audit()
        before = self.entries(self.lot, "write")
        self.env["stock.lot"]._cron_expiry_scan()
        self.assertEqual(self.lot.expiry_state, "expired")
        states = [
            self.changes(entry)["expiry_state"]
            for entry in self.entries(self.lot, "write") - before
            if "expiry_state" in self.changes(entry)
        ]
        self.assertEqual(states, [("valid", "expired")])
        # A second scan changes nothing and records nothing.
        before = self.entries(self.lot, "write")
        self.env["stock.lot"]._cron_expiry_scan()
        self.assertFalse(self.entries(self.lot, "write") - before)

    def test_an_entry_naming_a_removed_company_does_not_break_the_commit(self):
        """An entry queued for a company (or user) the transaction removed afterwards is written
        without it, instead of failing the commit on its foreign key."""
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) + 1000 FROM res_company")
        gone = self.env.cr.fetchone()[0]
        self.env["gsp.audit.log"]._log(
            [
                {
                    "model": "capa.record",
                    "res_id": 1,
                    "record_name": "Removed company's CAPA",
                    "operation": "write",
                    "changes": [{"field": "title", "old": "a", "new": "b"}],
                    "company_id": gone,
                }
            ]
        )
        self.flush_audit()
        entry = self.env["gsp.audit.log"].search([("record_name", "=", "Removed company's CAPA")])
        self.assertEqual(len(entry), 1)
        self.assertFalse(entry.company_id)
        self.assertEqual(self.env["gsp.audit.log"].verify_chain(), (True, self.env["gsp.audit.log"]))

    def test_a_rolled_back_savepoint_takes_its_entries_with_it(self):
        """Entries follow the transaction: the changes of a savepoint rolled back leave no entry,
        those made before it and after it are recorded, in order."""
        self.flush_audit()
        self.lot.expiration_date = "2033-01-01 00:00:00"
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            self.lot.expiration_date = "2034-01-01 00:00:00"
            self.env["capa.record"].create({"title": "Rolled back"})
            1 / 0  # noqa: B018
        self.lot.expiration_date = "2035-01-01 00:00:00"
        dates = [
            self.changes(entry)["expiration_date"]
            for entry in self.entries(self.lot, "write")
            if "expiration_date" in self.changes(entry)
        ]
        self.assertEqual(
            dates[-2:],
            [(False, "2033-01-01 00:00:00"), ("2033-01-01 00:00:00", "2035-01-01 00:00:00")],
        )
        self.assertFalse(
            self.env["gsp.audit.log"].search(
                [("model", "=", "capa.record"), ("record_name", "=", "Rolled back")]
            )
        )
        ok, _broken = self.env["gsp.audit.log"].verify_chain()
        self.assertTrue(ok)
