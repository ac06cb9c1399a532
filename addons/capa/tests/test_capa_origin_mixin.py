# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo_test_helper import FakeModelLoader

from odoo.tests import tagged

from .common import CapaCase


@tagged("post_install", "-at_install")
class TestCapaOriginMixin(CapaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_models import CapaTestComplaint

        cls.loader.update_registry((CapaTestComplaint,))
        cls.partner = cls.env["res.partner"].create({"name": "Riverside Pharmacy"})
        cls.complaint = cls.env["capa.test.complaint"].create(
            {
                "name": "Wrong strength delivered",
                "product_id": cls.product.id,
                "lot_id": cls.lot_b.id,
                "partner_id": cls.partner.id,
            }
        )

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def test_origin_models_are_offered(self):
        selection = dict(self.env["capa.record"]._selection_origin_ref())
        self.assertEqual(selection.get("capa.test.complaint"), "CAPA Test Complaint")

    def test_create_capa_prefilled_from_the_origin(self):
        action = self.complaint.action_create_capa()
        self.assertEqual(action["res_model"], "capa.record")
        # Defaults straight from the action's context: the form view may hold fields of modules
        # that extend capa.record, which the fake-model registry of this test does not load.
        capa_model = self.env["capa.record"].with_user(self.quality_user)
        capa = capa_model.with_context(**action["context"]).create({})
        self.assertEqual(capa.title, "Wrong strength delivered")
        self.assertEqual(capa.source_type, "complaint")
        self.assertEqual(capa.origin_ref, self.complaint)
        self.assertEqual(capa.product_ids, self.product)
        self.assertEqual(capa.lot_ids, self.lot_b)
        self.assertEqual(capa.partner_id, self.partner)

    def test_capas_of_an_origin_and_smart_button(self):
        other = self.env["capa.test.complaint"].create({"name": "Other"})
        self.assertEqual((self.complaint.capa_count, other.capa_count), (0, 0))
        first = self.new_capa(origin_ref=f"capa.test.complaint,{self.complaint.id}")
        second = self.new_capa(origin_ref=f"capa.test.complaint,{self.complaint.id}")
        (self.complaint | other).invalidate_recordset(["capa_ids", "capa_count"])
        self.assertEqual(self.complaint.capa_ids, first | second)
        self.assertEqual(self.complaint.capa_count, 2)
        self.assertFalse(other.capa_ids)
        action = self.complaint.action_view_capa()
        self.assertEqual(self.env["capa.record"].search(action["domain"]), first | second)
        self.assertEqual(action["context"]["default_source_type"], "complaint")
        second.with_user(self.quality_manager).unlink()
        self.complaint.invalidate_recordset(["capa_ids", "capa_count"])
        action = self.complaint.action_view_capa()
        self.assertEqual((action["view_mode"], action["res_id"]), ("form", first.id))
