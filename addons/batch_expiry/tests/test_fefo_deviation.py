# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import BatchExpiryCase


@tagged("post_install", "-at_install")
class TestFefoDeviation(BatchExpiryCase):
    """E2: shipping a later-expiring lot while an earlier usable one is free needs a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.early = cls.new_lot(cls, "FEFO-EARLY", days=200, quantity=10)
        cls.late = cls.new_lot(cls, "FEFO-LATE", days=400, quantity=10)

    def delivery_with_lot(self, lot, quantity=5):
        picking = self.delivery(quantity)
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, self.early, "FEFO reserves the early lot")
        picking.move_ids.move_line_ids.lot_id = lot
        picking.move_ids.picked = True
        return picking

    def test_later_lot_asks_for_a_reason_posted_on_the_delivery(self):
        picking = self.delivery_with_lot(self.late)
        action = picking.button_validate()
        self.assertEqual(action["res_model"], "stock.fefo.deviation.wizard")
        self.assertEqual(picking.state, "assigned", "nothing is validated before the reason")
        wizard = self.env["stock.fefo.deviation.wizard"].browse(action["res_id"])
        self.assertEqual((wizard.line_ids.lot_id, wizard.line_ids.earlier_lot_id), (self.late, self.early))
        with self.assertRaises(UserError):
            wizard.action_confirm()
        with Form(wizard) as form:
            form.reason = "The hospital asked for lot FEFO-LATE only"
        wizard.action_confirm()
        self.assertEqual(picking.state, "done")
        note = picking.message_ids.filtered(
            lambda m: "First expiring, first out was not followed" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("The hospital asked for lot FEFO-LATE only", note.body)
        self.assertIn("FEFO-EARLY", note.body)

    def test_first_expiring_lot_needs_no_reason(self):
        picking = self.delivery(5)
        picking.move_ids.picked = True
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")

    def test_unusable_earlier_lots_do_not_count(self):
        self.early.quarantine("Held by QA")
        picking = self.delivery(5)
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, self.late)
        picking.move_ids.picked = True
        self.assertIs(picking.button_validate(), True)
