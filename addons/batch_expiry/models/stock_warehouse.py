# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import UserError


class StockWarehouse(models.Model):
    """Each warehouse has a quarantine location (under its view location, outside its stock
    location, so that standard reservation never takes from it) and a "Quarantine" operation type
    for the transfers into and out of it."""

    _inherit = "stock.warehouse"

    quarantine_location_id = fields.Many2one("stock.location", check_company=True, readonly=True)
    quarantine_type_id = fields.Many2one(
        "stock.picking.type", string="Quarantine Operation Type", check_company=True, readonly=True
    )

    def _get_locations_values(self, vals, code=False):
        values = super()._get_locations_values(vals, code=code)
        code = (vals.get("code") or code or "").replace(" ", "").upper()
        company_id = vals.get("company_id", self.default_get(["company_id"])["company_id"])
        # A location has one name: the company's language, else the creator's (see res.company).
        lang = self.env["res.company"].browse(company_id)._gsp_data_lang() or self.env.lang
        values["quarantine_location_id"] = {
            "name": self.with_context(lang=lang).env._("Quarantine"),
            "active": True,
            "usage": "internal",
            "barcode": self._valid_barcode(code + "QUARANTINE", company_id),
        }
        return values

    def _get_sequence_values(self, name=False, code=False):
        values = super()._get_sequence_values(name=name, code=code)
        lang = (self.company_id and self.company_id._gsp_data_lang()) or self.env.lang
        values["quarantine_type_id"] = {
            "name": self.with_context(lang=lang).env._(
                "%(name)s Sequence quarantine", name=name or self.name
            ),
            "prefix": (code or self.code) + "/" + (self.quarantine_type_id.sequence_code or "QUA") + "/",
            "padding": 5,
            "company_id": self.company_id.id,
        }
        return values

    def _get_picking_type_create_values(self, max_sequence):
        values, max_sequence = super()._get_picking_type_create_values(max_sequence)
        values["quarantine_type_id"] = {
            "name": self.env._("Quarantine"),
            "code": "internal",
            "use_create_lots": False,
            "use_existing_lots": True,
            "sequence": max_sequence + 1,
            "sequence_code": "QUA",
            "company_id": self.company_id.id,
        }
        return values, max_sequence + 2

    def _get_picking_type_update_values(self):
        values = super()._get_picking_type_update_values()
        values["quarantine_type_id"] = {
            "default_location_src_id": self.lot_stock_id.id,
            "default_location_dest_id": self.quarantine_location_id.id,
            "active": self.active,
        }
        return values

    @api.model
    def _create_quarantine_setup_all(self):
        self.with_context(active_test=False).search(
            ["|", ("quarantine_location_id", "=", False), ("quarantine_type_id", "=", False)]
        )._create_quarantine_setup()

    def _create_quarantine_setup(self):
        """Create the quarantine location and operation type where they are missing."""
        # sudo: the warehouse's quarantine set-up is the system's (see write), whoever needs it first.
        for warehouse in self.sudo().filtered(
            lambda w: not w.quarantine_location_id or not w.quarantine_type_id
        ):
            warehouse._create_missing_locations({})
            new_types = warehouse._create_or_update_sequences_and_picking_types()
            if new_types:
                warehouse.write(new_types)

    def _create_or_update_sequences_and_picking_types(self):
        new_types = super()._create_or_update_sequences_and_picking_types()
        if new_types.get("quarantine_type_id"):
            self._translate_quarantine_type(
                self.env["stock.picking.type"].browse(new_types["quarantine_type_id"])
            )
        return new_types

    def _translate_quarantine_type(self, types=None, langs=None):
        """Name the quarantine operation types (``types``, else these warehouses') in every
        installed language (or ``langs``): they are created in one language, by code, where the
        module's translations do not reach."""
        types = types if types is not None else self.quarantine_type_id
        if not types:
            return
        codes = langs or [code for code, _name in self.env["res.lang"].get_installed()]
        names = {code: self.with_context(lang=code).env._("Quarantine") for code in codes}
        for picking_type in types:
            # Only the types still named as created (a renamed one keeps its name).
            current = picking_type.with_context(lang="en_US").name
            if current in names.values() or current == "Quarantine":
                picking_type.update_field_translations("name", names)

    def write(self, vals):
        # The quarantine location decides which stock is in quarantine: once set, it stays.
        if not self.env.su:
            for name in ("quarantine_location_id", "quarantine_type_id"):
                if name in vals and any(w[name] and w[name].id != vals[name] for w in self):
                    raise UserError(
                        self.env._(
                            "The quarantine location and operation type of a warehouse are set when it is"
                            " created and cannot be changed."
                        )
                    )
        return super().write(vals)

    @api.model
    def action_print_expiry_report(self):
        """The XLSX expiry report of every warehouse of the current companies."""
        warehouses = self.search([("company_id", "in", self.env.companies.ids)])
        # No PDF layout to configure for a spreadsheet.
        return self.env.ref("batch_expiry.action_report_expiry_xlsx").report_action(warehouses, config=False)
