# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class CapaOriginMixin(models.AbstractModel):
    """For models whose records can raise a CAPA (a recall, a complaint, an excursion, ...).

    Inheriting models get the CAPAs raised from each record (``capa_ids``, ``capa_count``), a
    smart-button action (``action_view_capa``) and ``action_create_capa``, which opens a new CAPA
    prefilled from the record. What is prefilled comes from the small ``_capa_*`` hooks below:
    override them to say which products, lots and partner a record concerns.
    """

    _name = "capa.origin.mixin"
    _description = "Origin of CAPAs"

    capa_ids = fields.Many2many("capa.record", string="CAPAs", compute="_compute_capa_ids")
    capa_count = fields.Integer(string="CAPA Count", compute="_compute_capa_ids")

    def _capa_origin_refs(self):
        return [f"{record._name},{record.id}" for record in self]

    def _compute_capa_ids(self):
        # One query for all records: CAPAs point to their origin through a Reference field.
        capas = self.env["capa.record"].search([("origin_ref", "in", self._capa_origin_refs())])
        by_origin = {}
        for capa in capas:
            by_origin.setdefault(capa.origin_ref.id, self.env["capa.record"])
            by_origin[capa.origin_ref.id] |= capa
        for record in self:
            record.capa_ids = by_origin.get(record.id, self.env["capa.record"])
            record.capa_count = len(record.capa_ids)

    # --- Hooks: what a new CAPA takes from its origin -----------------------------------------
    def _capa_source_type(self):
        """One of capa.record's source types."""
        return "other"

    def _capa_title(self):
        self.ensure_one()
        return self.display_name

    def _capa_products(self):
        """product.product records the CAPA concerns."""
        return self.env["product.product"]

    def _capa_lots(self):
        """stock.lot records the CAPA concerns."""
        return self.env["stock.lot"]

    def _capa_partner(self):
        """res.partner the CAPA concerns (customer, supplier, ...)."""
        return self.env["res.partner"]

    def _capa_description(self):
        """The problem, as the CAPA's Problem Description starts (HTML), or False."""
        return False

    def _capa_default_values(self):
        self.ensure_one()
        return {
            "default_description": self._capa_description(),
            "default_title": self._capa_title(),
            "default_source_type": self._capa_source_type(),
            "default_origin_ref": f"{self._name},{self.id}",
            "default_product_ids": self._capa_products().ids,
            "default_lot_ids": self._capa_lots().ids,
            "default_partner_id": self._capa_partner().id,
        }

    # --- Actions -----------------------------------------------------------------------------
    def action_create_capa(self):
        """Open a new CAPA prefilled from this record."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New CAPA"),
            "res_model": "capa.record",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._capa_default_values(),
        }

    def action_view_capa(self):
        """The CAPAs raised from this record (smart button)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("capa.capa_record_action")
        action.update(
            domain=[("origin_ref", "=", f"{self._name},{self.id}")],
            context=self._capa_default_values(),
        )
        if self.capa_count == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=self.capa_ids.id)
        return action
