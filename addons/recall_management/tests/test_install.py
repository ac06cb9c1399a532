# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    """The module is installed, at its version, on top of the dependency chain it declares."""

    def test_installed_with_declared_dependencies(self):
        module = self.env["ir.module.module"].search([("name", "=", "recall_management")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.latest_version, "18.0.1.2.0")
        dependencies = module.dependencies_id
        self.assertEqual(
            sorted(dependencies.mapped("name")),
            ["batch_expiry", "phone_validation", "portal", "purchase_stock", "sale_stock"],
        )
        self.assertEqual(set(dependencies.mapped("state")), {"installed"})
