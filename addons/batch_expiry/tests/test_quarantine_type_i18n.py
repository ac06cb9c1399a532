# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestQuarantineTypeTranslated(TransactionCase):
    """The quarantine operation type the module creates by code is named in each installed
    language: when a warehouse is created, and when a language is loaded afterwards."""

    def test_names_in_every_language(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        warehouse._create_quarantine_setup()
        picking_type = warehouse.quarantine_type_id
        self.assertTrue(picking_type)
        # Loading Chinese afterwards (as an administrator does in Settings) names the existing type.
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "batch_expiry")])._update_translations(["zh_CN"])
        self.assertEqual(picking_type.with_context(lang="zh_CN").name, "隔离")
        self.assertEqual(picking_type.with_context(lang="en_US").name, "Quarantine")
        # A warehouse created by a Chinese-speaking user: its type reads right in both languages.
        new = self.env["stock.warehouse"].with_context(lang="zh_CN").create({"name": "上海仓", "code": "SHA"})
        new._create_quarantine_setup()
        self.assertEqual(new.quarantine_type_id.with_context(lang="zh_CN").name, "隔离")
        self.assertEqual(new.quarantine_type_id.with_context(lang="en_US").name, "Quarantine")
        # A type renamed by the warehouse keeps its name.
        picking_type.with_context(lang="en_US").name = "Q-Hold"
        warehouse._translate_quarantine_type(langs=["zh_CN"])
        self.assertEqual(picking_type.with_context(lang="en_US").name, "Q-Hold")
