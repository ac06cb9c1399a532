# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from contextlib import contextmanager
from datetime import date, timedelta

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


def decide(records, method, reason="Decided in a test"):
    """Carry out ``method``, a decision of ``records``, as their user. With gsp_compliance
    installed, closing a CAPA, approving or closing a recall and releasing stock are signed
    decisions for every caller: taken here through their documented system path (as a script run
    by the administrator), for the same user."""
    if "gsp.signature" in records.env:
        from odoo.addons.gsp_compliance.models.gsp_decisions import decision_of

        decision = decision_of(records._name, method)
        signed = records
        if records._name == "recall.disposition":
            signed = records.filtered(lambda d: d.action == "release")
            (records - signed).action_execute()
        if decision and signed:
            return signed.sudo()._gsp_system_decision(decision.method, reason)
        if decision:
            return True
    return getattr(records, method)(reason) if method == "release_quarantine" else getattr(records, method)()


class CapaCase(TransactionCase):
    """Users of each role, a lot-tracked product with two lots, and a helper to build CAPAs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Other Distributor"})
        cls.quality_user = new_test_user(
            cls.env, "capa_qa", groups="capa.group_quality_user", name="Quinn QA"
        )
        cls.quality_manager = new_test_user(
            cls.env, "capa_qm", groups="capa.group_quality_manager", name="Mia Manager"
        )
        cls.employee = new_test_user(cls.env, "capa_emp", groups="base.group_user", name="Wes Warehouse")
        cls.portal_user = new_test_user(cls.env, "capa_portal", groups="base.group_portal", name="Pat Portal")
        cls.other_quality_user = new_test_user(
            cls.env,
            "capa_other_qa",
            groups="capa.group_quality_user",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
            name="Olga Other",
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Test Amoxicillin 500 mg", "is_storable": True, "tracking": "lot"}
        )
        cls.lot_a, cls.lot_b = cls.env["stock.lot"].create(
            [
                {"name": "T-LOT-A", "product_id": cls.product.id, "company_id": cls.company.id},
                {"name": "T-LOT-B", "product_id": cls.product.id, "company_id": cls.company.id},
            ]
        )
        cls.today = date.today()

    @contextmanager
    def assertRefused(self, exception, pattern):
        """Odoo's assertRaises (which rolls back what the failed call did) plus the message."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def flush_tracking(self):
        """Field tracking is written when the transaction commits; do it now."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def new_capa(self, user=None, **values):
        return (
            self.env["capa.record"]
            .with_user(user or self.quality_user)
            .create(dict({"title": "Crushed blisters on receipt", "source_type": "complaint"}, **values))
        )

    def new_action(self, capa, days=7, **values):
        return (
            self.env["capa.action"]
            .with_user(capa.env.user)
            .create(
                dict(
                    {
                        "capa_id": capa.id,
                        "name": "Retrain the receiving team",
                        "user_id": self.quality_user.id,
                        "date_deadline": self.today + timedelta(days=days),
                    },
                    **values,
                )
            )
        )

    def capa_in_implementation(self, user=None):
        capa = self.new_capa(user=user, root_cause="<p>Pallets stacked too high in the van.</p>")
        capa.action_start_investigation()
        self.new_action(capa)
        capa.action_start_implementation()
        return capa

    def capa_in_verification(self, user=None):
        capa = self.capa_in_implementation(user=user)
        capa.action_ids.write({"result": "Team retrained on 2026-11-20."})
        capa.action_ids.action_done()
        capa.action_start_verification()
        return capa
