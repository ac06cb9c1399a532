# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import re
from datetime import timedelta
from urllib.parse import quote

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import decide, load_chinese

# A 1x1 PNG: a company logo of its own (not Odoo's "Your logo" placeholder).
LOGO = b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
PRODUCT_NAME = "Sodium Chloride Injection 0.9% 250 ml Non-PVC Soft Bag for Intravenous Infusion"


@tagged("post_install", "-at_install")
class TestRecallPortalChinese(HttpCase):
    """A hospital opens the link of its recall notice e-mail without logging in: every page of
    the notice is in the hospital's language, shows the company that recalls, and refuses an
    impossible answer with a message the hospital can read, writing nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        # The notices come from a second company, not the public user's (the main company).
        cls.company = cls.env["res.company"].create(
            {"name": "Eastern Star Pharma Distribution Co.", "logo": LOGO}
        )
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.warehouse = warehouse
        cls.product = cls.env["product.product"].create(
            {"name": PRODUCT_NAME, "is_storable": True, "tracking": "lot"}
        )
        cls.lot = cls.env["stock.lot"].create(
            {
                "name": "LOT-ZH-01",
                "product_id": cls.product.id,
                "company_id": cls.company.id,
                "expiration_date": fields.Datetime.now() + timedelta(days=400),
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, warehouse.lot_stock_id, 100, lot_id=cls.lot
        )
        cls.hospital = cls.env["res.partner"].create(
            {
                "name": "杭州市第一人民医院",
                "is_company": True,
                "lang": "zh_CN",
                "email": "yk@hospital.example.cn",
            }
        )
        cls.pharmacy = cls.env["res.partner"].create(
            {
                "name": "Riverside Pharmacy",
                "is_company": True,
                "lang": "en_US",
                "email": "rx@pharmacy.example.com",
            }
        )
        cls._deliver(cls.hospital, 10)
        cls._deliver(cls.pharmacy, 5)
        cls.event = cls.env["recall.event"].create(
            {
                "title": "Leaking seams on soft bags",
                "level_id": cls.env.ref("recall_management.recall_level_1").id,
                "line_ids": [Command.create({"product_id": cls.product.id, "lot_id": cls.lot.id})],
            }
        )
        cls.event.action_submit()
        decide(cls.event, "action_approve")
        cls.event.action_start()
        cls.event.action_send_notices()
        cls.notice = cls.event.notice_ids.filtered(lambda n: n.partner_id == cls.hospital)
        cls.notice_en = cls.event.notice_ids.filtered(lambda n: n.partner_id == cls.pharmacy)

    @classmethod
    def _deliver(cls, customer, quantity):
        stock = cls.warehouse.lot_stock_id
        customers = cls.env.ref("stock.stock_location_customers")
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.out_type_id.id,
                "partner_id": customer.id,
                "location_id": stock.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": cls.product.name,
                            "product_id": cls.product.id,
                            "product_uom_qty": quantity,
                            "location_id": stock.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        picking._action_done()

    def setUp(self):
        super().setUp()
        # A visitor, not logged in, whose browser and language cookie say English.
        self.authenticate(None, None)
        self.opener.cookies.set("frontend_lang", "en_US")
        self.opener.headers["Accept-Language"] = "en-US,en;q=0.9"

    def _open(self, notice, **params):
        return self.url_open(notice.get_portal_url(**params))

    def _answer(self, notice, on_hand, to_return, name="王药师"):
        line = notice.line_ids
        return self.url_open(
            f"{notice.access_url}/acknowledge",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "access_token": notice.access_token,
                f"on_hand_{line.id}": on_hand,
                f"to_return_{line.id}": to_return,
                "name": name,
                "note": "",
            },
        )

    def _answer_state(self, notice):
        notice.invalidate_recordset()
        notice.line_ids.invalidate_recordset()
        return (
            notice.state,
            notice.acknowledged_by,
            notice.date_acknowledged,
            notice.line_ids.qty_reported_on_hand,
            notice.line_ids.qty_to_return,
            len(notice.message_ids),
        )

    def _name_input(self, html):
        return re.search(r'<input id="o_recall_notice_name"[^>]*>', html).group(0)

    # --- Language --------------------------------------------------------------------------
    def test_scenario(self):
        self.assertEqual(self.notice.company_id, self.company)
        self.assertEqual(self.notice.state, "sent")
        self.assertEqual(self.notice.line_ids.qty_delivered, 10)
        self.assertEqual(self.notice_en.line_ids.qty_delivered, 5)
        self.assertNotEqual(self.env.ref("base.public_user").company_id, self.company)

    def test_page_in_the_customer_language(self):
        response = self._open(self.notice)
        self.assertEqual(response.status_code, 200)
        page = response.text
        for chinese in (
            "产品召回",
            "您需要做什么",
            "等待您的答复",
            "确认通知",
            "您的姓名",
            "当前现有数量",
            "下载召回函",
        ):
            self.assertIn(chinese, page)
        self.assertNotIn("What to do", page)
        self.assertNotIn("Awaiting your answer", page)
        self.assertIn('lang="zh-CN"', page)
        self.assertIn("LOT-ZH-01", page)
        # The English pharmacy reads its notice in English, whatever a Chinese cookie says.
        self.opener.cookies.set("frontend_lang", "zh_CN")
        response = self._open(self.notice_en)
        self.assertEqual(response.status_code, 200)
        self.assertIn("What to do", response.text)
        self.assertIn("Awaiting your answer", response.text)
        self.assertNotIn("您需要做什么", response.text)
        self.assertIn('lang="en-US"', response.text)

    def test_letter_download_in_the_customer_language(self):
        response = self._open(self.notice, report_type="pdf", download=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # The file name is in Chinese too ("召回通知 <reference>"); tests render the letter as HTML.
        self.assertIn(quote("召回通知"), response.headers["Content-Disposition"])
        self.assertIn("我们正在召回下列批次".encode(), response.content)
        self.assertIn(b"LOT-ZH-01", response.content)

    # --- Company ---------------------------------------------------------------------------
    def test_company_of_the_notice_on_the_page(self):
        page = self._open(self.notice).text
        self.assertIn(self.company.name, page)
        logo = f"/logo.png?company={self.company.id}"
        self.assertIn(f'src="{logo}"', page)
        self.assertIn("o_recall_notice_company_logo", page)
        self.assertNotIn("o_portal_company_name", page)
        footer = re.search(r'<span class="o_footer_copyright_name[^"]*">(.*?)</span>\s*</span>', page, re.S)
        self.assertIn(self.company.name, footer.group(1))

    def test_company_without_logo_is_named_not_your_logo(self):
        self.company.logo = False
        self.assertTrue(self.company.uses_default_logo)
        page = self._open(self.notice).text
        # Neither the navbar nor the sidebar show Odoo's "Your logo" placeholder: the name instead.
        self.assertNotIn(f"/logo.png?company={self.company.id}", page)
        self.assertNotIn("o_recall_notice_company_logo", page)
        navbar = re.search(r'<a href="/" class="navbar-brand logo">(.*?)</a>', page, re.S).group(1)
        self.assertIn("o_portal_company_name", navbar)
        self.assertIn(self.company.name, navbar)

    def test_footer_names_the_company_of_each_page(self):
        # A page of the main company first, in the same language (the layout is cached per
        # language): the footer must not keep that company's name for the next page.
        portal_user = new_test_user(
            self.env,
            "rm_zh_portal",
            groups="base.group_portal",
            company_id=self.env.ref("base.main_company").id,
            lang="zh_CN",
        )
        self.authenticate(portal_user.login, portal_user.login)
        main_page = self.url_open("/my/home").text
        self.assertIn(self.env.ref("base.main_company").name, main_page)
        self.authenticate(None, None)
        page = self._open(self.notice).text
        footer = re.search(r'<span class="o_footer_copyright_name[^"]*">(.*?)</span>\s*</span>', page, re.S)
        self.assertIn(self.company.name, footer.group(1))
        self.assertNotIn(self.env.ref("base.main_company").name, footer.group(1))

    # --- Answers ---------------------------------------------------------------------------
    def test_impossible_answers_are_refused_in_chinese(self):
        before = self._answer_state(self.notice)
        self.assertEqual(before[0], "sent")
        for on_hand, to_return, chinese in (
            ("1e308", "1", "现有数量或待退回数量不能超过此数"),
            ("1", "1e308", "现有数量或待退回数量不能超过此数"),
            ("inf", "1", "现有数量或待退回数量不能超过此数"),
            ("1" * 400, "1", "现有数量或待退回数量不能超过此数"),
            ("11", "1", "现有数量或待退回数量不能超过此数"),
            ("nan", "1", "不是有效的数字"),
            ("abc", "1", "不是有效的数字"),
            ("-1", "0", "数量不能为负数"),
            ("1", "-inf", "数量不能为负数"),
            ("8", "9", "退回数量不能超过您现有的数量"),
        ):
            response = self._answer(self.notice, on_hand, to_return)
            self.assertEqual(response.status_code, 200, (on_hand, to_return))
            self.assertIn("o_recall_notice_error", response.text, (on_hand, to_return))
            self.assertIn(chinese, response.text, (on_hand, to_return))
            self.assertIn("确认通知", response.text)
            self.assertEqual(self._answer_state(self.notice), before, (on_hand, to_return))
        # The form comes back with what the customer typed, to correct it.
        self.assertIn('value="王药师"', self._name_input(response.text))
        # Same refusal in English for the English pharmacy.
        response = self._answer(self.notice_en, "4", "5", name="Pat")
        self.assertIn("you cannot return more than you still hold", response.text)
        self.assertEqual(self.notice_en.state, "sent")

    def test_answer_recorded_and_name_prefilled_to_correct_it(self):
        response = self._answer(self.notice, "8", "8")
        self.assertEqual(response.status_code, 200)
        self.assertIn("谢谢：您的答复已记录。", response.text)
        self.assertEqual(self.notice.state, "acknowledged")
        self.assertEqual(self.notice.acknowledged_by, "王药师")
        self.assertEqual(self.notice.line_ids.qty_reported_on_hand, 8)
        self.assertEqual(self.notice.line_ids.qty_to_return, 8)
        # The recall team reads the answer in its own language in the notice's history.
        tracking = self.notice.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(tracking.new_value_char, "Acknowledged")
        self.assertTrue(
            self.notice.message_ids.filtered(
                lambda m: "acknowledged on the portal by 王药师" in (m.body or "")
            )
        )
        # Opened again from the e-mail to correct the answer: the name is there already.
        page = self._open(self.notice).text
        self.assertIn("更正您的答复", page)
        self.assertIn('value="王药师"', self._name_input(page))
        response = self._answer(self.notice, "8", "7")
        self.assertEqual(self.notice.line_ids.qty_to_return, 7)

    def test_closed_notice_answer_refused_in_chinese(self):
        self.notice.write({"state": "closed", "close_reason": "The hospital answered by phone."})
        response = self._answer(self.notice, "1", "1")
        self.assertEqual(response.status_code, 200)
        self.assertIn("此召回通知已关闭，无法再在此答复。", response.text)
        self.assertEqual(self.notice.state, "closed")

    def test_product_names_wrap(self):
        page = self._open(self.notice).text
        self.assertIn(f'<td class="o_recall_product text-wrap text-break">{PRODUCT_NAME}</td>', page)

    # --- Tour ------------------------------------------------------------------------------
    def test_tour_chinese_customer_acknowledges(self):
        self.start_tour(self.notice.get_portal_url(), "recall_portal_acknowledge_zh", login=None)
        self.assertEqual(self.notice.state, "acknowledged")
        self.assertEqual(self.notice.acknowledged_by, "王药师")
        self.assertEqual(self.notice.line_ids.qty_reported_on_hand, 8)
        self.assertEqual(self.notice.line_ids.qty_to_return, 6)
        self.assertEqual(self.notice.acknowledgement_note, "货物已隔离存放在药库")
