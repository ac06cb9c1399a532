# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCapaTour(HttpCase):
    def test_create_a_capa_and_move_it_to_implementation(self):
        self.start_tour("/odoo/capa", "capa_create_to_implementation", login="admin")
        capa = self.env["capa.record"].search([("title", "=", "Tour: expired lot found in the picking zone")])
        self.assertEqual(capa.state, "implementation")
        self.assertEqual(capa.source_type, "deviation")
        self.assertIn("expiry dates on the shelf labels", capa.root_cause)
        self.assertEqual(capa.action_ids.name, "Print expiry dates on the shelf labels")
        self.assertEqual(capa.action_ids.action_type, "corrective")
        self.assertTrue(capa.action_ids.activity_id)
