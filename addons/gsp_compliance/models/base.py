# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import datetime

from odoo import api, models
from odoo.exceptions import UserError
from odoo.http import request

# Paths of Odoo's external APIs: every call through them counts as a call over RPC.
EXTERNAL_RPC_PATHS = ("/xmlrpc", "/jsonrpc", "/json/")
# Paths the web client calls methods through, with the model and method in the JSON params.
WEB_RPC_PATHS = ("/web/dataset/call_kw", "/web/dataset/call_button")


# Fields never audited: bookkeeping, and what changes on every write.
SNAPSHOT_TYPES = {
    "char",
    "text",
    "selection",
    "date",
    "datetime",
    "integer",
    "float",
    "monetary",
    "boolean",
    "many2one",
}
NOT_AUDITED = {"create_uid", "create_date", "write_uid", "write_date", "message_main_attachment_id"}


def _jsonable(value):
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return str(value)
    return value


class Base(models.AbstractModel):
    _inherit = "base"

    # --- Audit trail (G1) -----------------------------------------------------------------------
    def _gsp_audit_rule(self):
        """(fields or None, create, write, unlink, export) of the audit rule of this model, or None."""
        if self._transient or self._name.startswith("gsp.audit") or self.env.context.get("gsp_audit_off"):
            return None
        rules = self.env.registry.get("gsp.audit.rule")
        if rules is None:
            return None
        return rules._rules_by_model(self.env["gsp.audit.rule"]).get(self._name)

    def _gsp_audit_fields(self, rule, names):
        candidates = rule[0] if rule[0] is not None else names
        return sorted(
            name
            for name in candidates
            if name in names
            and name in self._fields
            and self._fields[name].store
            and self._fields[name].type != "binary"
            and name not in NOT_AUDITED
        )

    def _gsp_audit_snapshot_fields(self):
        """What a deletion records when the rule covers every field: the stored plain values."""
        return {
            name
            for name, field in self._fields.items()
            if field.store and field.type in SNAPSHOT_TYPES and not field.related
        }

    def _gsp_audit_values(self, fnames):
        """{record id: {field: JSON-able value}} of the audited fields. Read through the cache (one
        query per field for up to a thousand prefetched records), without flushing: a read would
        force pending computations record by record."""
        if not fnames or not self:
            return {}
        records = self.sudo()  # sudo: the trail records everything
        fields_ = [(name, self._fields[name]) for name in fnames]
        return {
            record.id: {
                name: _jsonable(field.convert_to_read(record[name], record, use_display_name=True))
                for name, field in fields_
            }
            for record in records
        }

    def _gsp_audit_entries(self, operation, changes_by_id):
        records = self.sudo()  # sudo: the trail names every record, whoever changed it
        reason = self.env.context.get("gsp_reason")
        company_field = self._fields.get("company_id")
        has_company = company_field is not None and company_field.type == "many2one"
        default_company = self.env.company.id
        return [
            {
                "model": self._name,
                "res_id": record.id,
                "record_name": record.display_name,
                "operation": operation,
                "changes": changes_by_id[record.id],
                "reason": reason,
                "company_id": (record.company_id.id if has_company else False) or default_company,
            }
            for record in records
            if changes_by_id.get(record.id)
        ]

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        rule = records._gsp_audit_rule()
        if rule and rule[1] and records:
            fnames = records._gsp_audit_fields(rule, set().union(*(vals.keys() for vals in vals_list)))
            values = records._gsp_audit_values(fnames)
            changes = {
                record.id: [{"field": name, "old": None, "new": values[record.id][name]} for name in fnames]
                or [{"field": "id", "old": None, "new": record.id}]
                for record in records
            }
            self.env["gsp.audit.log"]._log(records._gsp_audit_entries("create", changes))
        return records

    def write(self, vals):
        rule = self._gsp_audit_rule() if self else None
        fnames = self._gsp_audit_fields(rule, vals.keys()) if rule and rule[2] else None
        if not fnames:
            return super().write(vals)
        old = self._gsp_audit_values(fnames)
        result = super().write(vals)
        new = self._gsp_audit_values(fnames)
        changes = {
            record_id: [
                {"field": name, "old": old[record_id][name], "new": new.get(record_id, {}).get(name)}
                for name in fnames
                if old[record_id][name] != new.get(record_id, {}).get(name)
            ]
            for record_id in old
        }
        self.env["gsp.audit.log"]._log(self._gsp_audit_entries("write", changes))
        return result

    def unlink(self):
        rule = self._gsp_audit_rule() if self else None
        entries = []
        if rule and rule[3]:
            fnames = self._gsp_audit_fields(rule, rule[0] or self._gsp_audit_snapshot_fields())
            values = self._gsp_audit_values(fnames)
            changes = {
                record.id: [{"field": name, "old": values[record.id][name], "new": None} for name in fnames]
                or [{"field": "id", "old": record.id, "new": None}]
                for record in self
            }
            entries = self._gsp_audit_entries("unlink", changes)
        result = super().unlink()
        if entries:
            self.env["gsp.audit.log"]._log(entries)
        return result

    def export_data(self, fields_to_export):
        rule = self._gsp_audit_rule()
        if rule and rule[4] and self:
            self.env["gsp.audit.log"]._log(
                [
                    {
                        "model": self._name,
                        "res_id": 0,
                        "record_name": self.env._("%(count)s records exported", count=len(self)),
                        "operation": "export",
                        "changes": [
                            {"field": "fields", "old": None, "new": list(fields_to_export)},
                            {"field": "ids", "old": None, "new": self.ids[:1000]},
                        ],
                    }
                ]
            )
        return super().export_data(fields_to_export)

    # --- Electronic signatures (G2) ---------------------------------------------------------------
    def _gsp_called_over_rpc(self, method):
        """Whether ``method`` of this model is the method a remote call asked for (web client or
        external API). Server-side code (crons, other methods) is trusted; users only act over RPC."""
        if not request:
            return False
        path = request.httprequest.path
        if path.startswith(WEB_RPC_PATHS):
            params = getattr(request, "params", None) or {}
            return params.get("model") == self._name and params.get("method") == method
        return path.startswith(EXTERNAL_RPC_PATHS)

    def _gsp_signatures(self, meaning, method):
        """The signatures given for ``method`` on these records (context ``gsp_signature_ids``, set
        by the signature wizard), which are consumed; or none when the call needs none. A call over
        RPC (or with context ``gsp_require_signature``) without them is refused."""
        signature_ids = self.env.context.get("gsp_signature_ids")
        signatures = self.env["gsp.signature"]
        if signature_ids:
            signatures = (
                signatures.sudo()  # sudo: the user's own signatures, read-protected by company rules
                .browse(signature_ids)
                .exists()
                .filtered(lambda s: s.res_model == self._name and s.method == method)
            )
        if signatures:
            valid = signatures.filtered(
                lambda s: not s.consumed and s.user_id == self.env.user and s.meaning == meaning
            )
            if set(valid.mapped("res_id")) != set(self.ids):
                raise UserError(
                    self.env._("The signature does not match this decision: sign again from the record.")
                )
            valid._consume()
            return valid
        if self.env.context.get("gsp_require_signature") or self._gsp_called_over_rpc(method):
            raise UserError(
                self.env._(
                    "%(records)s: this decision requires an electronic signature (password, meaning and"
                    " reason). Use the button on the record, which asks for them.",
                    records=", ".join(self.mapped("display_name")) or self._description,
                )
            )
        return self.env["gsp.signature"]

    def action_gsp_sign(self):
        """Open the signature wizard for the decision named in the context (``gsp_method``,
        ``gsp_meaning``), from a button."""
        context = self.env.context
        return self.env["gsp.signature.wizard"]._open_for(
            self, context.get("gsp_method"), context.get("gsp_meaning")
        )
