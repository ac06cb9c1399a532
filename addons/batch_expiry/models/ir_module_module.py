# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """A language loaded after the warehouses were set up names their quarantine operation
        types too (see stock.warehouse._translate_quarantine_type)."""
        result = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "batch_expiry" in modules and langs:
            warehouses = (
                self.env["stock.warehouse"]
                .sudo()  # sudo: loading a language is the system's, for every company
                .with_context(active_test=False)
                .search([("quarantine_type_id", "!=", False)])
            )
            warehouses._translate_quarantine_type(langs=langs)
        return result
