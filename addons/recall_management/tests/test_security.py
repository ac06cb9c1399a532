# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RecallCase


@tagged("post_install", "-at_install")
class TestRecallSecurity(RecallCase):
    def test_inventory_users_read_but_do_not_run_recalls(self):
        event = self.started_event()
        as_stock = event.with_user(self.stock_user)
        self.assertEqual(as_stock.name, event.name)
        self.assertTrue(as_stock.trace_line_ids.mapped("kind"))
        self.assertTrue(as_stock.notice_ids.mapped("name"))
        with self.assertRaises(AccessError):
            as_stock.write({"title": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["recall.event"].with_user(self.stock_user).create({"title": "Mine"})
        with self.assertRaises(AccessError):
            as_stock.notice_ids[0].write({"email": "x@example.com"})

    def test_employees_and_portal_users_see_no_recall(self):
        event = self.started_event()
        employee = new_test_user(self.env, "rc_emp", groups="base.group_user")
        portal = new_test_user(self.env, "rc_portal", groups="base.group_portal")
        for user in (employee, portal):
            with self.assertRaises(AccessError):
                event.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                event.trace_line_ids.with_user(user).read(["kind"])

    def test_portal_user_sees_only_own_sent_notices(self):
        event = self.started_event()
        portal = new_test_user(self.env, "rc_portal_1", groups="base.group_portal")
        portal.partner_id.parent_id = self.customer_1
        Notice = self.env["recall.notice"].with_user(portal)
        self.assertFalse(Notice.search([]), "draft notices are not shown")
        event.notice_ids.write({"state": "sent"})
        self.assertEqual(
            Notice.search([]), event.notice_ids.filtered(lambda n: n.partner_id == self.customer_1)
        )
        other = event.notice_ids.filtered(lambda n: n.partner_id == self.customer_2)
        with self.assertRaises(AccessError):
            other.with_user(portal).read(["name"])

    def test_other_company_users_do_not_see_recalls(self):
        event = self.started_event()
        other_company = self.env["res.company"].create({"name": "Other Distributor"})
        other_qa = new_test_user(
            self.env,
            "rc_other_qa",
            groups="capa.group_quality_manager",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.assertFalse(self.env["recall.event"].with_user(other_qa).search([("id", "=", event.id)]))
        self.assertFalse(self.env["recall.notice"].with_user(other_qa).search([("event_id", "=", event.id)]))
        self.assertFalse(
            self.env["recall.trace.line"].with_user(other_qa).search([("event_id", "=", event.id)])
        )
        with self.assertRaises(AccessError):
            event.with_user(other_qa).read(["name"])
