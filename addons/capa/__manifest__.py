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
    "data": [
        "security/capa_security.xml",
        "security/ir.model.access.csv",
        "security/capa_rules.xml",
        "data/capa_data.xml",
        "views/capa_record_views.xml",
        "views/capa_action_views.xml",
        "views/capa_root_cause_category_views.xml",
        "views/capa_menus.xml",
        "report/capa_record_report.xml",
    ],
    "demo": [
        "demo/capa_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "capa/static/tests/tours/*.js",
        ],
    },
    "application": True,
}
