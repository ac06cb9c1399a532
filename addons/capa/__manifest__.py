# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "CAPA",
    "summary": "Corrective and preventive actions: investigation, action plan, effectiveness check",
    "version": "18.0.1.0.0",
    "category": "Quality",
    "author": "Regulated Distribution Odoo Project",
    "website": "https://github.com/regulated-distribution/odoo-gsp",
    "license": "LGPL-3",
    "depends": [
        "stock",
        "mail",
    ],
}
