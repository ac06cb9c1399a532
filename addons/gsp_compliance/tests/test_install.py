# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.modules.migration import load_script
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    """The module is installed, at its version, on top of the dependency chain it declares."""

    def test_installed_with_declared_dependencies(self):
        module = self.env["ir.module.module"].search([("name", "=", "gsp_compliance")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.latest_version, "18.0.1.3.0")
        self.assertEqual(module.dependencies_id.mapped("name"), ["recall_management"])
        self.assertEqual(module.dependencies_id.state, "installed")

    def _audit_log_columns(self):
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'gsp_audit_log'"
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _audit_log_indexes(self):
        self.env.cr.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'gsp_audit_log'")
        return {row[0] for row in self.env.cr.fetchall()}

    def test_audit_log_without_bookkeeping_columns(self):
        """Entries carry their own user and timestamp (hashed): no create/write columns, no
        foreign keys to check on each insert, no index on the hash."""
        self.assertFalse({"create_uid", "write_uid", "create_date", "write_date"} & self._audit_log_columns())
        self.assertNotIn("gsp_audit_log__hash_index", self._audit_log_indexes())
        self.assertIn("gsp_audit_log__res_id_index", self._audit_log_indexes())

    def test_migration_1_3_drops_bookkeeping_columns(self):
        """A database installed before 18.0.1.3.0 (its trail with the bookkeeping columns, their
        foreign keys and the hash index) loses them at the upgrade, its entries kept and still
        verified."""
        Log = self.env["gsp.audit.log"]
        Log._log_now([{"model": "res.partner", "res_id": 1, "record_name": "x", "operation": "write"}])
        count = Log.search_count([])
        self.env.cr.execute(
            """
            ALTER TABLE gsp_audit_log
                ADD COLUMN create_uid integer REFERENCES res_users(id) ON DELETE SET NULL,
                ADD COLUMN write_uid integer REFERENCES res_users(id) ON DELETE SET NULL,
                ADD COLUMN create_date timestamp,
                ADD COLUMN write_date timestamp;
            CREATE INDEX gsp_audit_log__hash_index ON gsp_audit_log (hash);
            """
        )
        module = load_script(
            "gsp_compliance/migrations/18.0.1.3.0/post-migrate.py", "gsp_compliance_post_migrate_1_3"
        )
        module.migrate(self.env.cr, "18.0.1.2.0")
        self.assertFalse({"create_uid", "write_uid", "create_date", "write_date"} & self._audit_log_columns())
        self.assertNotIn("gsp_audit_log__hash_index", self._audit_log_indexes())
        self.assertEqual(Log.search_count([]), count)
        self.assertTrue(Log.verify_chain()[0])
