# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Recall Management",
    "summary": "Recalls from trigger to closure: trace, quarantine, notices, returns, KPIs, mock recalls",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "author": "Regulated Distribution Odoo Project",
    "website": "https://github.com/regulated-distribution/odoo-gsp",
    "license": "LGPL-3",
    "depends": [
        "batch_expiry",
        "sale_stock",
        "purchase_stock",
        "portal",
    ],
}
