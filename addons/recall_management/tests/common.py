# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import subprocess
import tempfile
from contextlib import contextmanager

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.batch_expiry.tests.common import QuantTableMixin
from odoo.addons.capa.tests.common import decide


def load_chinese(env):
    """Install Chinese (zh_CN) and this module's Chinese terms, as an administrator does in
    Settings > Languages."""
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"].search([("name", "=", "recall_management")])._update_translations(["zh_CN"])


def squeeze(text):
    """``text`` without whitespace: pdftotext breaks lines and spaces words its own way."""
    return "".join(text.split())


def pdf_text(pdf):
    """The text of a PDF (bytes) as pdftotext reads it: Chinese included when a CJK font printed
    it, a form feed at the end of each page."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
        pdf_file.write(pdf)
        pdf_file.flush()
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", pdf_file.name, "-"],
            capture_output=True,
            check=True,
            text=True,
            timeout=60,
        ).stdout


def validated_transfer(env, source, destination, quantity, picking_type, lot, partner=None):
    """A transfer of ``quantity`` of ``lot``, with that lot on its move line, validated."""
    product = lot.product_id
    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": partner.id if partner else False,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "product_uom": product.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    picking.move_ids.move_line_ids.unlink()
    picking.move_ids.write(
        {
            "move_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_id": product.uom_id.id,
                        "picking_id": picking.id,
                        "lot_id": lot.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "quantity": quantity,
                    }
                )
            ],
            "picked": True,
        }
    )
    picking._action_done()
    assert picking.state == "done", picking.state
    return picking


class RecallCase(QuantTableMixin, TransactionCase):
    """The trace scenario of the issue: one lot received twice from a supplier, moved internally,
    delivered to three customers (one through pick and ship), partly returned, partly scrapped and
    partly in transit to another site.

    Lot RC-L1 of "Recall Saline 0.9%" ends as:
      received 60 + 40 = 100 from Supplier Sal;
      Customer One 20 delivered - 5 returned = 15; Customer Two 15 (from Shelf 1);
      Customer Three 10 (pick, then ship); scrapped 3; in transit 7;
      on hand: WH/Stock 35, WH/Stock/Shelf 1 15.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.cn")
        cls.quality_user = new_test_user(
            cls.env, "rc_qa", groups="capa.group_quality_user,stock.group_production_lot", name="Quinn QA"
        )
        cls.quality_manager = new_test_user(
            cls.env,
            "rc_qm",
            groups="capa.group_quality_manager,stock.group_production_lot",
            name="Mia Manager",
        )
        cls.stock_user = new_test_user(
            cls.env,
            "rc_stock",
            groups="stock.group_stock_user,stock.group_production_lot",
            name="Wes Warehouse",
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.warehouse.delivery_steps = "pick_ship"
        cls.stock = cls.warehouse.lot_stock_id
        cls.output = cls.warehouse.wh_output_stock_loc_id
        cls.shelf = cls.env["stock.location"].create({"name": "Shelf 1", "location_id": cls.stock.id})
        cls.transit = cls.env["stock.location"].create(
            {"name": "Recall Test Transit", "usage": "transit", "location_id": cls.stock.location_id.id}
        )
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        partners = cls.env["res.partner"].create(
            [
                {"name": "Supplier Sal", "is_company": True},
                {
                    "name": "Customer One",
                    "is_company": True,
                    "email": "one@example.com",
                    "phone": "010 6552 9988",
                    "country_id": cls.env.ref("base.cn").id,
                },
                {
                    "name": "Customer Two",
                    "is_company": True,
                    "email": "two@example.com",
                    "phone": "not a number",
                },
                {
                    "name": "Customer Three",
                    "is_company": True,
                    "email": "three@example.com",
                    "phone": "+33 1 23 45 67 89",
                },
            ]
        )
        cls.supplier, cls.customer_1, cls.customer_2, cls.customer_3 = partners
        cls.customer_3_contact = cls.env["res.partner"].create(
            {"name": "Clara Three", "parent_id": cls.customer_3.id, "email": "clara@three.example.com"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Recall Saline 0.9%", "is_storable": True, "tracking": "lot"}
        )
        cls.other_product = cls.env["product.product"].create(
            {"name": "Recall Gauze", "is_storable": True, "tracking": "lot"}
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "RC-L1", "product_id": cls.product.id, "company_id": cls.company.id}
        )
        cls.other_lot = cls.env["stock.lot"].create(
            {"name": "RC-L2", "product_id": cls.product.id, "company_id": cls.company.id}
        )
        wh = cls.warehouse
        cls.receipts = cls.move(cls.supplier_location, cls.stock, 60, wh.in_type_id, cls.supplier)
        cls.receipts |= cls.move(cls.supplier_location, cls.stock, 40, wh.in_type_id, cls.supplier)
        cls.move(cls.stock, cls.shelf, 30, wh.int_type_id)
        cls.delivery_1 = cls.move(cls.stock, cls.customer_location, 20, wh.out_type_id, cls.customer_1)
        cls.delivery_2 = cls.move(cls.shelf, cls.customer_location, 15, wh.out_type_id, cls.customer_2)
        cls.move(cls.stock, cls.output, 10, wh.pick_type_id, cls.customer_3)
        cls.delivery_3 = cls.move(
            cls.output, cls.customer_location, 10, wh.out_type_id, cls.customer_3_contact
        )
        cls.return_1 = cls.move(cls.customer_location, cls.stock, 5, wh.in_type_id, cls.customer_1)
        cls.move(cls.stock, cls.transit, 7, wh.int_type_id)
        scrap = cls.env["stock.scrap"].create(
            {"product_id": cls.product.id, "lot_id": cls.lot.id, "scrap_qty": 3, "location_id": cls.stock.id}
        )
        scrap.do_scrap()
        # Another lot of the same product, never recalled by lot: delivered to Customer Two.
        cls.move(cls.supplier_location, cls.stock, 50, wh.in_type_id, cls.supplier, lot=cls.other_lot)

    @classmethod
    def move(cls, source, destination, quantity, picking_type, partner=None, lot=None):
        """A validated transfer of ``quantity`` of a lot (RC-L1 by default)."""
        return validated_transfer(
            cls.env, source, destination, quantity, picking_type, lot or cls.lot, partner
        )

    @contextmanager
    def assertRefused(self, exception, pattern):
        """Odoo's assertRaises (which rolls back what the failed call did) plus the message."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def new_event(self, user=None, lines=None, **values):
        vals = {
            "title": "Saline bags leaking",
            "level_id": self.env.ref("recall_management.recall_level_2").id,
            "line_ids": [
                Command.create(line)
                for line in (
                    lines if lines is not None else [{"product_id": self.product.id, "lot_id": self.lot.id}]
                )
            ],
        }
        vals.update(values)
        return self.env["recall.event"].with_user(user or self.quality_user).create(vals)

    def started_event(self, **values):
        """A real recall of RC-L1, approved and in progress (traced, quarantined, notices drafted)."""
        event = self.new_event(**values)
        event.action_submit()
        decide(event.with_user(self.quality_manager), "action_approve")
        event.action_start()
        return event
