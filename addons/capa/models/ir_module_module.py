# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """A language loaded (in Settings, or a module installed with it) also names the add-ons'
        sequences and locations in it, for the companies that work in it (see
        res.company._gsp_name_plain_data)."""
        result = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if langs:
            # sudo: loading a language is the system's, for every company's records.
            self.env["res.company"].sudo()._gsp_name_plain_data(langs=langs)
        return result
