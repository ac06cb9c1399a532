# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import json
from contextlib import contextmanager

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.recall_management.tests.common import validated_transfer


class GspMixin:
    """Users of each GSP role, a recall ready for approval, and helpers to sign and read the trail."""

    @classmethod
    def setup_gsp(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.quality_user = new_test_user(
            cls.env, "gsp_qa", groups="capa.group_quality_user,stock.group_production_lot", name="Quinn QA"
        )
        cls.quality_manager = new_test_user(
            cls.env,
            "gsp_qm",
            groups="capa.group_quality_manager,stock.group_production_lot",
            name="Mia Manager",
        )
        cls.gsp_manager = new_test_user(
            cls.env,
            "gsp_mgr",
            groups="gsp_compliance.group_gsp_manager,stock.group_production_lot",
            name="Gus GSP",
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.customer = cls.env["res.partner"].create(
            {"name": "GSP Test Pharmacy", "is_company": True, "email": "pharmacy@example.com"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "GSP Test Saline", "is_storable": True, "tracking": "lot"}
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "GSP-L1", "product_id": cls.product.id, "company_id": cls.company.id}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 30, lot_id=cls.lot
        )
        validated_transfer(
            cls.env,
            cls.warehouse.lot_stock_id,
            cls.env.ref("stock.stock_location_customers"),
            10,
            cls.warehouse.out_type_id,
            cls.lot,
            cls.customer,
        )
        # The class's entries in the trail, before the tests' savepoints (the trail keeps a
        # transaction's entries in memory until it commits or a savepoint opens).
        cls.env.flush_all()
        cls.env["gsp.audit.log"]._flush_pending()

    def new_recall(self):
        event = (
            self.env["recall.event"]
            .with_user(self.quality_user)
            .create(
                {
                    "title": "Cracked bags",
                    "level_id": self.env.ref("recall_management.recall_level_2").id,
                    "line_ids": [Command.create({"product_id": self.product.id, "lot_id": self.lot.id})],
                }
            )
        )
        event.action_submit()
        return event

    def sign(self, user, records, method, meaning, password=None, reason="Checked and agreed"):
        action = (
            self.env["gsp.signature.wizard"]
            .with_user(user)
            ._open_for(records.with_user(user), method, meaning)
        )
        wizard = self.env["gsp.signature.wizard"].with_user(user).browse(action["res_id"])
        if password is None:
            password = user.login + "x" * (8 - len(user.login))  # new_test_user's password
        wizard.write({"password": password, "reason": reason})
        return wizard, wizard.action_sign()

    def flush_audit(self):
        """Audit entries are written when the transaction commits; write them now."""
        self.env.flush_all()
        self.env["gsp.audit.log"]._flush_pending()

    def entries(self, record, operation=None):
        self.flush_audit()
        domain = [("model", "=", record._name), ("res_id", "=", record.id)]
        if operation:
            domain.append(("operation", "=", operation))
        return self.env["gsp.audit.log"].search(domain, order="id")

    @staticmethod
    def changes(entry):
        return {change["field"]: (change["old"], change["new"]) for change in json.loads(entry.changes)}

    @contextmanager
    def assertRefused(self, exception, pattern):
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)
