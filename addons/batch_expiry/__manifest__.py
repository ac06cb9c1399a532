# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Batch Expiry and FEFO Control",
    "summary": "Expiry states, enforced FEFO and shelf-life rules, quarantine and cold chain for lots",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "author": "Regulated Distribution Odoo Project",
    "website": "https://github.com/regulated-distribution/odoo-gsp",
    "license": "LGPL-3",
    "depends": [
        "capa",
        "product_expiry",
    ],
}
