# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "GSP Compliance",
    "summary": "Audit trail, e-signatures, partner and product qualification, receipt and shipping checks",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "author": "Regulated Distribution Odoo Project",
    "website": "https://github.com/regulated-distribution/odoo-gsp",
    "license": "LGPL-3",
    "depends": [
        "recall_management",
    ],
}
