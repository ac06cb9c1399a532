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


@tagged("post_install", "-at_install")
class TestQuarantineLocationNamed(TransactionCase):
    """A location's name is not translated by Odoo: the quarantine location and sequence are
    named in their company's language, when the warehouse is created and when the company's
    language is chosen or loaded, unless someone renamed them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")

    def _company(self, name, lang):
        partner = self.env["res.partner"].create({"name": name, "is_company": True, "lang": lang})
        company = self.env["res.company"].create({"name": name, "partner_id": partner.id})
        return company, self.env["stock.warehouse"].search([("company_id", "=", company.id)])

    def test_created_in_company_language(self):
        # Whoever creates it (here an English session), a Chinese company's warehouse reads Chinese.
        _company, warehouse = self._company("上海禾济医药有限公司", "zh_CN")
        self.assertEqual(len(warehouse), 1)
        self.assertEqual(warehouse.quarantine_location_id.name, "隔离")
        self.assertEqual(warehouse.quarantine_location_id.complete_name, f"{warehouse.code}/隔离")
        self.assertEqual(warehouse.quarantine_type_id.sequence_id.name, f"{warehouse.name}隔离序列")
        # The operation type is translated (a translatable name) in both languages.
        self.assertEqual(warehouse.quarantine_type_id.with_context(lang="en_US").name, "Quarantine")
        _company, warehouse = self._company("Heji Europe B.V.", "en_US")
        self.assertEqual(warehouse.quarantine_location_id.name, "Quarantine")
        self.assertEqual(
            warehouse.quarantine_type_id.sequence_id.name, "Heji Europe B.V. Sequence quarantine"
        )
        # A company left in English (Odoo's default): its creator's language, as Odoo's WH/Stock.
        partner = self.env["res.partner"].create({"name": "禾济华东", "is_company": True, "lang": "en_US"})
        company = (
            self.env["res.company"]
            .with_context(lang="zh_CN")
            .create({"name": "禾济华东", "partner_id": partner.id})
        )
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)])
        self.assertEqual(warehouse.quarantine_location_id.name, "隔离")
        self.assertEqual(warehouse.quarantine_type_id.sequence_id.name, "禾济华东隔离序列")

    def test_renamed_when_the_company_language_changes_or_loads(self):
        company, warehouse = self._company("Heji Trading", "en_US")
        location = warehouse.quarantine_location_id
        child = self.env["stock.location"].create(
            {"name": "A-01", "location_id": location.id, "company_id": company.id}
        )
        company.partner_id.lang = "zh_CN"
        self.assertEqual(location.name, "隔离")
        self.assertEqual(child.complete_name, f"{warehouse.code}/隔离/A-01")
        self.assertEqual(warehouse.quarantine_type_id.sequence_id.name, "Heji Trading隔离序列")
        # Named before Chinese was installed, Chinese loaded afterwards (Settings > Languages).
        location.name = "Quarantine"
        self.env["ir.module.module"]._load_module_terms(["batch_expiry"], ["zh_CN"])
        self.assertEqual(location.name, "隔离")
        # Companies left in English keep their names, English or Chinese, when terms load again
        # (as every upgrade does, for all installed languages).
        _company, english = self._company("Heji Europe B.V.", "en_US")
        _company, chinese = self._company("Heji Shanghai", "en_US")
        chinese.quarantine_location_id.name = "隔离"
        self.env["ir.module.module"]._load_module_terms(["batch_expiry"], ["en_US", "zh_CN"])
        self.assertEqual(english.quarantine_location_id.name, "Quarantine")
        self.assertEqual(chinese.quarantine_location_id.name, "隔离")
        self.assertEqual(location.name, "隔离")

    def test_renamed_location_keeps_its_name(self):
        company, warehouse = self._company("Heji Logistics", "en_US")
        location = warehouse.quarantine_location_id
        location.name = "Hold area B"
        company.partner_id.lang = "zh_CN"
        self.env["ir.module.module"]._load_module_terms(["batch_expiry"], ["zh_CN"])
        self.assertEqual(location.name, "Hold area B")
        # The warehouse's quarantine is still that location.
        self.assertEqual(warehouse.quarantine_location_id, location)
