# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.2.0: the audit trail records a lot's expiry state (set by the daily expiry scan). The
default rules are noupdate data: add the field to the lots' rule of databases installed before,
unless its fields were cleared (every field recorded)."""

from odoo import SUPERUSER_ID, Command, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("gsp_compliance.audit_rule_stock_lot", raise_if_not_found=False)
    field = env["ir.model.fields"]._get("stock.lot", "expiry_state")
    if rule and field and rule.field_ids and field not in rule.field_ids:
        rule.field_ids = [Command.link(field.id)]
