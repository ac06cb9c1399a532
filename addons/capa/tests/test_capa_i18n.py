# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import re
from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestCapaTranslations(TransactionCase):
    """Every term the module shows users is in i18n/<module>.pot and translated in zh_CN.po.

    Other modules of the project reuse these checks by subclassing with their own ``module``."""

    module = "capa"

    def i18n_file(self, name):
        return str(Path(get_module_path(self.module)) / "i18n" / name)

    def test_every_term_is_in_the_template_and_translated(self):
        reader = TranslationModuleReader(self.env.cr, [self.module])
        terms = {source for _m, _t, _n, _r, source, _v, _c in reader}
        self.assertGreater(len(terms), 20)
        template = {entry.msgid for entry in polib.pofile(self.i18n_file(f"{self.module}.pot"))}
        self.assertFalse(terms - template, f"terms missing from {self.module}.pot: run `make pot`")
        chinese = {entry.msgid: entry.msgstr for entry in polib.pofile(self.i18n_file("zh_CN.po"))}
        untranslated = sorted(term for term in terms if not chinese.get(term))
        self.assertFalse(untranslated, "terms without a Chinese translation in zh_CN.po")

    def test_placeholders_survive_translation(self):
        placeholder = re.compile(r"%\(\w+\)s|%[sd]")
        for entry in polib.pofile(self.i18n_file("zh_CN.po")):
            self.assertEqual(
                sorted(placeholder.findall(entry.msgid)),
                sorted(placeholder.findall(entry.msgstr)),
                entry.msgid,
            )


@tagged("post_install", "-at_install")
class TestCapaInChinese(TransactionCase):
    def test_chinese_users_see_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["capa"], ["zh_CN"], overwrite=True)
        capa = self.env["capa.record"].with_context(lang="zh_CN").create({"title": "温度偏离"})
        labels = dict(capa._fields["state"]._description_selection(capa.env))
        self.assertEqual(labels["investigation"], "调查")
        self.assertEqual(self.env.ref("capa.menu_quality_root").with_context(lang="zh_CN").name, "质量")
