# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CapaCase


@tagged("post_install", "-at_install")
class TestCapaSecurity(CapaCase):
    def test_groups(self):
        manager_group = self.env.ref("capa.group_quality_manager")
        user_group = self.env.ref("capa.group_quality_user")
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertEqual(user_group.category_id.name, "Quality")
        self.assertTrue(self.env.ref("base.user_admin").has_group("capa.group_quality_manager"))
        self.assertEqual(self.env.ref("capa.menu_quality_root").name, "Quality")

    def test_quality_user_creates_and_works_capas(self):
        capa = self.capa_in_verification(user=self.quality_user)
        self.assertEqual(capa.create_uid, self.quality_user)
        self.assertEqual(capa.state, "verification")

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_internal_users_read_only_their_company(self):
        capa = self.new_capa()
        action = self.new_action(capa)
        as_employee = capa.with_user(self.employee)
        self.assertEqual(as_employee.title, capa.title)
        self.assertEqual(action.with_user(self.employee).name, action.name)
        with self.assertRaises(AccessError):
            as_employee.write({"title": "changed"})
        with self.assertRaises(AccessError):
            self.new_capa(user=self.employee)
        with self.assertRaises(AccessError):
            action.with_user(self.employee).write({"name": "changed"})
        # Another company's quality staff see nothing of this company's CAPAs.
        visible = self.env["capa.record"].with_user(self.other_quality_user).search([("id", "=", capa.id)])
        self.assertFalse(visible)
        with self.assertRaises(AccessError):
            capa.with_user(self.other_quality_user).read(["title"])
        with self.assertRaises(AccessError):
            action.with_user(self.other_quality_user).read(["name"])

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_portal_users_have_no_access(self):
        capa = self.new_capa()
        with self.assertRaises(AccessError):
            capa.with_user(self.portal_user).read(["title"])
        with self.assertRaises(AccessError):
            self.env["capa.action"].with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.env["capa.root.cause.category"].with_user(self.portal_user).search([])

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_only_managers_configure_root_causes(self):
        categories = self.env["capa.root.cause.category"]
        self.assertEqual(len(categories.search([])), 6, "the 6M come by default")
        with self.assertRaises(AccessError):
            categories.with_user(self.quality_user).create({"name": "Management"})
        categories.with_user(self.quality_manager).create({"name": "Management"})

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_quality_users_cannot_delete_capas(self):
        capa = self.new_capa()
        with self.assertRaises(AccessError):
            capa.unlink()
