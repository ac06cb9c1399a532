# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from lxml import html as lxml_html

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import load_chinese, pdf_text, squeeze

# (English, Chinese of zh_CN.po) of the title and section headings of each report, in order.
PLAN = [
    ("Investigation and Recall Plan", "调查评估报告和召回计划"),
    ("1. Classification and deadlines", "1. 召回分级与时限"),
    ("2. Problem description", "2. 问题描述"),
    ("3. Health hazard and risk assessment", "3. 健康危害与风险评估"),
    ("4. Depth and strategy", "4. 召回深度与召回策略"),
    ("5. Scope", "5. 召回范围"),
    ("6. Trace", "6. 追溯"),
    ("7. Customer notices", "7. 客户通知"),
    ("8. Responsibility and approval", "8. 职责与批准"),
]
PROGRESS_BODY = [
    ("Key figures", "关键数据"),
    ("Deadlines", "时限"),
    ("Customer notices", "客户通知"),
    ("Dispositions of recovered and quarantined stock", "已回收及已隔离库存的处置"),
    ("Costs", "费用"),
]
PROGRESS = [("Recall Progress Report", "召回进展报告"), *PROGRESS_BODY]
SUMMARY = [
    ("Recall Summary Report", "召回总结报告"),
    ("Summary", "总结"),
    *PROGRESS_BODY,
    ("Total cost of the recall", "召回总费用"),
    ("Lessons learned", "经验教训"),
    ("Corrective and preventive actions (CAPA)", "纠正和预防措施 (CAPA)"),
]
REPORTS = {
    "recall_management.action_report_recall_plan": PLAN,
    "recall_management.action_report_recall_progress": PROGRESS,
    "recall_management.action_report_recall_summary": SUMMARY,
}


@tagged("post_install", "-at_install")
class TestRegulatorReportsBilingual(TransactionCase):
    """The plan, progress and summary reports go to the regulator in its language; their title
    and section headings also give the recall owner's language, smaller, when it is another one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.owner = new_test_user(
            cls.env,
            "bilingual_owner",
            groups="capa.group_quality_user,stock.group_production_lot",
            name="Olive Owner",
            lang="en_US",
        )
        cls.regulator = cls.env["res.partner"].create(
            {"name": "浙江省药品监督管理局", "is_company": True, "city": "杭州", "lang": "zh_CN"}
        )
        product = cls.env["product.product"].create(
            {"name": "Bilingual Amoxicillin 500 mg", "is_storable": True, "tracking": "lot"}
        )
        lot = cls.env["stock.lot"].create(
            {"name": "BI-LOT-01", "product_id": product.id, "company_id": cls.env.company.id}
        )
        # Nothing described, assessed or summarised: the report says so, in the regulator's language.
        cls.event = cls.env["recall.event"].create(
            {
                "title": "Dissolution out of specification",
                "user_id": cls.owner.id,
                "level_id": cls.env.ref("recall_management.recall_level_1").id,
                "regulator_partner_id": cls.regulator.id,
                "line_ids": [Command.create({"product_id": product.id, "lot_id": lot.id})],
            }
        )

    def render(self, xmlid):
        content, report_format = self.env["ir.actions.report"]._render_qweb_html(xmlid, self.event.ids)
        self.assertEqual(report_format, "html")
        return content.decode()

    def headings(self, html):
        """(heading, heading in the second language or None) for the title and each section of
        the page; the title's ``<div>`` (reference: title of the recall) left out."""
        tree = lxml_html.fromstring(html)
        page = "//div[contains(concat(' ', normalize-space(@class), ' '), ' page ')]"
        result = []
        for node in tree.xpath(f"{page}//*[self::h2 or self::h4]"):
            second = node.xpath("./small[contains(@class, 'o_recall_second_lang')]")
            self.assertLessEqual(len(second), 1)
            second_text = " ".join(second[0].text_content().split()) if second else None
            for child in node.xpath("./small | ./div"):
                child.drop_tree()
            result.append((" ".join(node.text_content().split()), second_text))
        return result

    def test_regulator_chinese_owner_english_headings_in_both(self):
        for xmlid, expected in REPORTS.items():
            with self.subTest(report=xmlid):
                html = self.render(xmlid)
                self.assertEqual(self.headings(html), [(zh, en) for en, zh in expected])
        # The body stays in the regulator's language.
        html = self.render("recall_management.action_report_recall_plan")
        self.assertIn("尚未描述。", html)
        self.assertNotIn("Not described yet.", html)
        html = self.render("recall_management.action_report_recall_summary")
        self.assertIn("尚无总结。", html)
        self.assertNotIn("No summary yet.", html)

    def test_regulator_and_owner_chinese_headings_once(self):
        self.owner.lang = "zh_CN"
        for xmlid, expected in REPORTS.items():
            with self.subTest(report=xmlid):
                html = self.render(xmlid)
                self.assertEqual(self.headings(html), [(zh, None) for _en, zh in expected])
                self.assertNotIn("o_recall_second_lang", html)
                for en, _zh in expected:
                    self.assertNotIn(en, html)

    def test_regulator_and_owner_english_headings_once(self):
        self.regulator.lang = "en_US"
        for xmlid, expected in REPORTS.items():
            with self.subTest(report=xmlid):
                html = self.render(xmlid)
                self.assertEqual(self.headings(html), [(en, None) for en, _zh in expected])
                self.assertNotIn("o_recall_second_lang", html)
                self.assertNotIn(expected[0][1], html)

    def test_regulator_english_owner_chinese_headings_in_both(self):
        self.regulator.lang = "en_US"
        self.owner.lang = "zh_CN"
        html = self.render("recall_management.action_report_recall_plan")
        self.assertEqual(self.headings(html), [(en, zh) for en, zh in PLAN])
        self.assertIn("Not described yet.", html)
        self.assertNotIn("尚未描述。", html)

    def test_plan_pdf_has_both_titles(self):
        pdf, report_format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("recall_management.action_report_recall_plan", self.event.ids)
        )
        self.assertEqual(report_format, "pdf")
        text = pdf_text(pdf)
        flat = squeeze(text)
        for needle in ("调查评估报告和召回计划", "Investigation and Recall Plan", "1. 召回分级与时限"):
            self.assertIn(squeeze(needle), flat, text)
        title_at = flat.index(squeeze("调查评估报告和召回计划"))
        self.assertLess(title_at, flat.index(squeeze("Investigation and Recall Plan")), text)
