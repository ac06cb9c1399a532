# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPlainNamesInCompanyLanguage(TransactionCase):
    """A sequence name is not translated by Odoo: the add-ons' sequences are named in the
    company's language, when that language is chosen or loaded, unless someone renamed them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.sequence = cls.env.ref("capa.seq_capa_record")
        cls.company = cls.env.company

    def test_company_language_names_the_sequence(self):
        self.company.partner_id.lang = "en_US"
        self.sequence.name = "CAPA"
        self.company.partner_id.lang = "zh_CN"
        self.assertEqual(self.sequence.name, "纠正和预防措施")
        # Numbering is untouched by the name.
        self.assertEqual(self.sequence.prefix, "CAPA/%(year)s/")
        # English, every new company's language in Odoo, chooses nothing: the name stays.
        self.company.partner_id.lang = "en_US"
        self.assertEqual(self.sequence.name, "纠正和预防措施")

    def test_language_loaded_afterwards_names_the_sequence(self):
        self.company.partner_id.lang = "zh_CN"
        # As created before Chinese was installed: the English name.
        self.sequence.name = "CAPA"
        self.env["ir.module.module"]._load_module_terms(["capa"], ["zh_CN"])
        self.assertEqual(self.sequence.name, "纠正和预防措施")
        # Loading another language than the company's leaves it.
        self.env["ir.module.module"]._load_module_terms(["capa"], ["en_US"])
        self.assertEqual(self.sequence.name, "纠正和预防措施")

    def test_renamed_sequence_keeps_its_name(self):
        self.company.partner_id.lang = "en_US"
        self.sequence.name = "Corrective actions register"
        self.company.partner_id.lang = "zh_CN"
        self.env["ir.module.module"]._load_module_terms(["capa"], ["zh_CN"])
        self.assertEqual(self.sequence.name, "Corrective actions register")

    def test_english_company_keeps_names_on_upgrade(self):
        # A database whose company kept Odoo's English but whose names are Chinese: loading the
        # terms again (an upgrade loads every installed language) renames nothing.
        self.company.partner_id.lang = "en_US"
        self.sequence.name = "纠正和预防措施"
        self.env["ir.module.module"]._load_module_terms(["capa"], ["en_US", "zh_CN"])
        self.assertEqual(self.sequence.name, "纠正和预防措施")

    def test_other_contacts_language_changes_nothing(self):
        self.company.partner_id.lang = "en_US"
        self.sequence.name = "CAPA"
        partner = self.env["res.partner"].create({"name": "张医生", "lang": "en_US"})
        partner.lang = "zh_CN"
        self.assertEqual(self.sequence.name, "CAPA")
