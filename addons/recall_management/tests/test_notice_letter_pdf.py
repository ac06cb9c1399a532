# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import io

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import RecallCase, load_chinese, pdf_text, squeeze

COMPANY_NAME = "上海康健医药有限公司"
COMPANY_PHONE = "021 6888 1234"
COMPANY_EMAIL = "recall@kangjian.example.com"


@tagged("post_install", "-at_install")
class TestNoticeLetterPdf(RecallCase):
    """The recall notice letter as the customer gets it, printed by the wkhtmltopdf of the
    machine (Debian's prints no page headers): one A4 page for a notice of two lots, in Chinese
    and in English, the company's letterhead on the page itself, and text that can be read back
    from the PDF (Chinese included)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.company.write(
            {
                "name": COMPANY_NAME,
                "street": "浦东新区张江路 88 号",
                "city": "上海",
                "zip": "201203",
                "phone": COMPANY_PHONE,
                "email": COMPANY_EMAIL,
                "website": "https://www.kangjian.example.com",
            }
        )
        # Customer One also received 12 of lot RC-L2: its notice lists two lots.
        wh = cls.warehouse
        cls.move(cls.supplier_location, cls.stock, 30, wh.in_type_id, cls.supplier, lot=cls.other_lot)
        cls.move(cls.stock, cls.customer_location, 12, wh.out_type_id, cls.customer_1, lot=cls.other_lot)

    def notice_of_two_lots(self, description):
        event = self.started_event(
            description=description,
            lines=[
                {"product_id": self.product.id, "lot_id": self.lot.id},
                {"product_id": self.product.id, "lot_id": self.other_lot.id},
            ],
        )
        notice = event.notice_ids.filtered(lambda n: n.partner_id == self.customer_1)
        self.assertEqual(notice.line_ids.lot_id, self.lot | self.other_lot)
        return notice

    def print_letter(self, notice):
        """The letter's PDF: its number of pages and its text as pdftotext reads it."""
        pdf, report_format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("recall_management.action_report_recall_notice", notice.ids)
        )
        self.assertEqual(report_format, "pdf")
        pages = len(PdfFileReader(io.BytesIO(pdf)).pages)
        text = pdf_text(pdf)
        # pdftotext ends each page with a form feed.
        self.assertEqual(text.count("\f"), pages)
        return pages, text

    def assertLetterhead(self, text, title):
        """The letterhead (name, address, phone, e-mail) is on the page, above the title, once."""
        text = squeeze(text)
        self.assertIn(squeeze(title), text)
        title_at = text.index(squeeze(title))
        for needle in (COMPANY_NAME, "张江路88号", COMPANY_PHONE, COMPANY_EMAIL):
            self.assertIn(squeeze(needle), text[:title_at], f"{needle} is not in the letterhead")
        self.assertEqual(text.count(squeeze(COMPANY_PHONE)), 1, "the letterhead is printed once")

    def test_chinese_letter_one_page_searchable_with_letterhead(self):
        self.customer_1.lang = "zh_CN"
        notice = self.notice_of_two_lots(
            "<p>部分输液袋在接口处封口不严，出现渗漏，药液可能已不再无菌。</p>"
            "<p>请勿再使用这些批次的产品，并按下列要求处理。</p>"
        )
        pages, text = self.print_letter(notice)
        self.assertEqual(pages, 1, text)
        self.assertLetterhead(text, "产品召回通知")
        flat = squeeze(text)
        for needle in (
            "产品召回通知",
            "尊敬的",
            "涉及的批次",
            "您现在必须采取的措施",
            "立即停止使用、销售和分发这些批次。",
            "部分输液袋在接口处封口不严",
            "本次召回联系人",
            notice.name,
            "RC-L1",
            "RC-L2",
            "Recall Saline 0.9%",
            "Customer One",
        ):
            self.assertIn(squeeze(needle), flat)
        self.assertNotIn("Product Recall Notice", text)

    def test_english_letter_one_page_with_letterhead(self):
        self.customer_1.lang = "en_US"
        notice = self.notice_of_two_lots(
            "<p>Some bags of these lots leak at the seal of the port: the solution may no longer be "
            "sterile.</p><p>Do not use them any more, and do as this letter asks.</p>"
        )
        pages, text = self.print_letter(notice)
        self.assertEqual(pages, 1, text)
        self.assertLetterhead(text, "Product Recall Notice")
        flat = squeeze(text)
        for needle in (
            "Dear Customer One",
            "The lots concerned",
            "Stop using, selling and distributing these lots at once.",
            "the solution may no longer be sterile",
            notice.name,
            "RC-L1",
            "RC-L2",
        ):
            self.assertIn(squeeze(needle), flat)
        self.assertNotIn("产品召回通知", text)
