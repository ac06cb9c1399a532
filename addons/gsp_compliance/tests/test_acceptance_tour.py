# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import HttpCase, tagged

from .test_acceptance import GspFlowMixin


@tagged("post_install", "-at_install")
class TestGspAcceptanceTour(GspFlowMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_gsp_flow()

    def test_accept_and_sign_in_the_form(self):
        lot = self._lot("TOUR-ACC-1")
        acceptance = self._receipt(lot, 12.0).gsp_acceptance_ids
        self.assertEqual(lot.release_rule_ids.mapped("code"), ["awaiting_acceptance"])
        admin = self.env.ref("base.user_admin")
        admin.groups_id += self.env.ref("gsp_compliance.group_gsp_acceptor") + self.env.ref(
            "stock.group_production_lot"
        )
        self.start_tour(
            f"/odoo/action-gsp_compliance.gsp_acceptance_action/{acceptance.id}",
            "gsp_acceptance_sign",
            login="admin",
        )
        acceptance.invalidate_recordset()
        self.assertEqual(acceptance.state, "concluded")
        self.assertEqual(acceptance.conclusion, "accepted")
        self.assertEqual(acceptance.acceptor_id, admin)
        self.assertEqual(acceptance.qty_sampled, 2.0)
        self.assertEqual(acceptance.arrival_temperature, 5.0)
        self.assertEqual(acceptance.signature_id.user_id, admin)
        self.assertEqual(acceptance.signature_id.meaning, "accepted")
        self.assertEqual(acceptance.signature_id.reason, "All checks passed")
        lot.invalidate_recordset()
        self.assertEqual(lot.release_state, "released")
        internal = lot.quant_ids.filtered(
            lambda quant: quant.quantity and quant.location_id.usage == "internal"
        )
        self.assertEqual(internal.location_id, self.stock)
