# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Batch Expiry and FEFO Control",
    "summary": "Expiry states, enforced FEFO and shelf-life rules, quarantine and cold chain for lots",
    "version": "18.0.1.1.0",
    "category": "Inventory/Inventory",
    "author": "Regulated Distribution Odoo Project",
    "website": "https://github.com/regulated-distribution/odoo-gsp",
    "license": "LGPL-3",
    "depends": [
        "capa",
        "product_expiry",
        # OCA, from PyPI (odoo-addon-report-xlsx): the XLSX expiry report.
        "report_xlsx",
    ],
    "data": [
        "security/batch_expiry_security.xml",
        "security/ir.model.access.csv",
        "security/batch_expiry_rules.xml",
        "data/batch_expiry_data.xml",
        "data/stock_lot_release_rule_data.xml",
        "data/batch_expiry_setup.xml",
        "data/near_expiry_digest.xml",
        "views/stock_lot_views.xml",
        "views/product_views.xml",
        "views/expiry_report_views.xml",
        "views/stock_expiry_analysis_views.xml",
        "views/cold_chain_views.xml",
        "views/stock_fefo_deviation_wizard_views.xml",
        "views/stock_lot_release_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "batch_expiry/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/batch_expiry_demo.xml",
    ],
}
