# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import GspMixin


@tagged("post_install", "-at_install")
class TestGspRetention(GspMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_gsp()

    def test_regulated_records_are_archived_not_deleted(self):
        event = self.new_recall()
        self.sign(self.quality_manager, event, "action_approve", "approved")
        event.action_start()
        notice = event.notice_ids
        notice.state = "sent"
        with self.assertRefused(UserError, "kept for 5 years"):
            notice.sudo().unlink()
        notice.active = False
        self.assertFalse(notice.active)
        capa = self.env["capa.record"].create({"title": "Started"})
        capa.state = "investigation"
        with self.assertRefused(UserError, "must be kept"):
            capa.sudo().unlink()  # capa's own rule, stricter than the retention period
        # Signatures are kept too, whoever tries.
        other = self.new_recall()
        self.sign(self.quality_manager, other, "action_approve", "approved")
        with self.assertRefused(UserError, "kept for 5 years"):
            other.gsp_signature_ids.sudo().unlink()
        # Drafts never entered the regulated process.
        self.env["capa.record"].create({"title": "Typo"}).sudo().unlink()

    def test_after_the_retention_period_deletion_is_possible(self):
        event = self.new_recall()
        self.sign(self.quality_manager, event, "action_approve", "approved")
        event.action_start()
        notice = event.notice_ids
        notice.state = "sent"
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE recall_notice SET create_date = now() - interval '6 years' WHERE id = %s", (notice.id,)
        )
        notice.invalidate_recordset(["create_date"])
        notice.sudo().unlink()
        self.assertFalse(notice.exists())

    def test_retention_is_a_company_setting_of_at_least_five_years(self):
        self.assertEqual(self.company.gsp_retention_years, 5)
        with self.assertRefused(ValidationError, "at least 5 years"):
            self.company.gsp_retention_years = 3
        self.company.gsp_retention_years = 10
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.gsp_retention_years, 10)
