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
        # E.164 phone numbers on notices (Odoo's wrapper around the phonenumbers library).
        "phone_validation",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/recall_rules.xml",
        "data/recall_level_data.xml",
        "data/recall_data.xml",
        "data/recall_mail_templates.xml",
        "report/recall_report_layout.xml",
        "report/recall_notice_letter.xml",
        "report/recall_plan_report.xml",
        "report/recall_progress_report.xml",
        "report/recall_summary_report.xml",
        "report/recall_drill_report.xml",
        "report/recall_xlsx_reports.xml",
        "views/recall_level_views.xml",
        "views/recall_trace_line_views.xml",
        "views/recall_notice_views.xml",
        "views/recall_disposition_views.xml",
        "views/recall_cost_views.xml",
        "views/recall_event_views.xml",
        "views/stock_lot_views.xml",
        "views/recall_portal_templates.xml",
        "views/recall_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "recall_management/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/recall_demo.xml",
    ],
}
