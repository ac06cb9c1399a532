# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models, tools

from .base import RULES


class GspAuditRule(models.Model):
    """Which models and fields the audit trail records (G1)."""

    _name = "gsp.audit.rule"
    _description = "Audit Trail Rule"
    _order = "model_id"

    model_id = fields.Many2one("ir.model", required=True, ondelete="cascade", index=True)
    model_name = fields.Char(related="model_id.model", string="Model Name", store=True, index=True)
    field_ids = fields.Many2many(
        "ir.model.fields",
        string="Fields",
        domain="[('model_id', '=', model_id), ('store', '=', True)]",
        help="The fields whose changes are recorded; none means every stored field.",
    )
    log_create = fields.Boolean(string="Creations", default=True)
    log_write = fields.Boolean(string="Changes", default=True)
    log_unlink = fields.Boolean(string="Deletions", default=True)
    log_export = fields.Boolean(string="Exports", default=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("model_unique", "unique(model_id)", "There is already an audit rule for this model.")
    ]

    @api.model
    @tools.ormcache()
    def _rules_by_model(self):
        """{model: (field names or None for all, create, write, unlink, export)}, cached."""
        rules = {}
        # sudo: the audit applies whatever the user may read
        for rule in self.sudo().search([("model_id", "!=", False)]):
            names = frozenset(rule.field_ids.mapped("name")) or None
            rules[rule.model_name] = (
                names,
                rule.log_create,
                rule.log_write,
                rule.log_unlink,
                rule.log_export,
            )
        return rules

    def _forget_rules(self):
        """After a change of rules: the cached rules and their memo (base._gsp_audit_rule)."""
        self.env.registry.clear_cache()
        self.env.cr.precommit.data.pop(RULES, None)

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self._forget_rules()
        return rules

    def write(self, vals):
        result = super().write(vals)
        self._forget_rules()
        return result

    def unlink(self):
        result = super().unlink()
        self._forget_rules()
        return result
