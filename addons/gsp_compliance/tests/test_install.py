# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    """The module is installed, at its version, on top of the dependency chain it declares."""

    def test_installed_with_declared_dependencies(self):
        module = self.env["ir.module.module"].search([("name", "=", "gsp_compliance")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.latest_version, "18.0.1.2.0")
        self.assertEqual(module.dependencies_id.mapped("name"), ["recall_management"])
        self.assertEqual(module.dependencies_id.state, "installed")
