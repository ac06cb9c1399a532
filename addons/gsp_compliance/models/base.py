# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import datetime

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from .gsp_decisions import authorised, current_authorisation, decision_of

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
# Per transaction (cr.precommit.data): {(model, id, field): value} of the computed fields that
# write() recorded, so that the flush writing them does not record them a second time.
WRITTEN = "gsp.audit.written"
KEPT = "gsp.audit.kept"  # the trail's entries of the transaction (see gsp.audit.log)
RULES = "gsp.audit.rules"  # the audit rules by model, for the transaction
_MISSING = object()
NOT_AUDITED = {"create_uid", "create_date", "write_uid", "write_date", "message_main_attachment_id"}


def _jsonable(value):
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return str(value)
    return value


class Base(models.AbstractModel):
    """The audit trail hooks every model's create, write, _write_multi (stored computed fields)
    and unlink, and looks the model's rule up in a per-registry cache: on a model without a rule
    the cost is that lookup (``make bench`` measures it on unaudited writes). OCA auditlog instead
    patches only the configured models, in ``_register_hook``. It was considered: it saves that
    lookup, but the rules are records a GSP manager changes at run time, so every worker's
    registry would have to be re-patched on each change (auditlog signals a registry reload), and
    the flush hook and the signature checks below would still need ``base``. The measured cost
    did not justify it."""

    _inherit = "base"

    # --- Audit trail (G1) -----------------------------------------------------------------------
    def _gsp_audit_rule(self):
        """(fields or None, create, write, unlink, export) of the audit rule of this model, or None."""
        if self._transient or self._name.startswith("gsp.audit"):
            return None
        # Memoised for the transaction (this lookup runs on every write of every model): the
        # cached rules are looked up once, forgotten with the transaction (and its savepoints) and
        # when a rule changes (gsp.audit.rule._forget_rules).
        data = self.env.cr.precommit.data
        rules = data.get(RULES)
        if rules is None:
            if "gsp.audit.rule" not in self.env.registry:
                return None
            rules = data[RULES] = self.env["gsp.audit.rule"]._rules_by_model()
        return rules.get(self._name)

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

    def _gsp_audit_computed(self, field):
        """Whether ``field`` is also recorded when it is flushed (``_write_multi``): a stored
        computed field changes without anyone calling write (a transfer's state follows its moves,
        a lot's expiry state its date). Written by ``write()`` (an editable computed field), it is
        recorded there, by its user, and not again at the flush."""
        return (
            bool(field.compute)
            and field.type in SNAPSHOT_TYPES
            and not field.company_dependent
            and not field.translate
        )

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
        computed = [name for name in fnames if self._gsp_audit_computed(self._fields[name])]
        if computed:
            # Recorded here: the flush that writes them to the database does not record them again.
            written = self.env.cr.precommit.data.setdefault(WRITTEN, {})
            for record_id, values in new.items():
                for name in computed:
                    written[self._name, record_id, name] = values.get(name)
        self.env["gsp.audit.log"]._log(self._gsp_audit_entries("write", changes))
        return result

    def _write_multi(self, vals_list):
        """Record the changes of audited stored computed fields as they reach the database: the
        old values read there in one query, the new ones being written. The first computation of
        a record created by this transaction is not a change (its creation is recorded)."""
        rule = self._gsp_audit_rule() if self else None
        fnames = None
        if rule and rule[2]:
            written = set().union(*vals_list)
            fnames = [
                name
                for name in self._gsp_audit_fields(rule, written)
                if self._gsp_audit_computed(self._fields[name])
            ]
        if not fnames:
            return super()._write_multi(vals_list)
        fields_ = [self._fields[name] for name in fnames]
        written = self.env.cr.precommit.data.get(WRITTEN) or {}
        # The values being written, as recorded, but those that write() recorded already (with its
        # user): only the records left need their old values, read in one query. A lot whose
        # date a user changed (the expiry date is a stored computed field) costs none.
        pending = {}
        for record_id, vals in zip(self._ids, vals_list, strict=True):
            news = [
                (field, new)
                for field in fields_
                if field.name in vals
                and written.pop((self._name, record_id, field.name), _MISSING)
                != (new := self._gsp_audit_column(field, vals[field.name]))
            ]
            if news:
                pending[record_id] = news
        records = self.browse(list(pending))
        old = records._gsp_audit_column_values(fnames) if pending else {}
        result = super()._write_multi(vals_list)
        changes = {}
        for record_id, news in pending.items():
            before, created_now = old.get(record_id, ({}, False))
            changes[record_id] = [
                {"field": field.name, "old": before.get(field.name), "new": new}
                for field, new in news
                if new != before.get(field.name) and not (created_now and before.get(field.name) is False)
            ]
        self.env["gsp.audit.log"]._log(records._gsp_audit_entries("write", changes))
        return result

    def _gsp_audit_column(self, field, value):
        """A database value as the trail records the field (like ``_gsp_audit_values``): empty as
        False, a many2one as [id, name], dates as text."""
        if value is None or value is False:
            return False
        if field.type == "many2one":
            record = self.env[field.comodel_name].sudo().browse(value)  # sudo: the trail names it
            return [value, record.display_name]
        if field.type == "date":
            return str(field.to_date(value))
        if field.type == "datetime":
            if isinstance(value, str):
                value = datetime.datetime.fromisoformat(value)  # fractions of seconds included
            return str(value.replace(microsecond=0))
        if field.type in ("float", "monetary"):
            return float(value)
        return value

    def _gsp_audit_column_values(self, fnames):
        """{id: ({field: value as recorded}, created by this transaction)} read from the
        database, before a flush writes it."""
        columns = ", ".join(f'"{name}"' for name in fnames)
        created = ", create_date = now() AT TIME ZONE 'UTC'" if self._log_access else ", FALSE"
        self.env.cr.execute(
            f'SELECT id{created}, {columns} FROM "{self._table}" WHERE id = ANY(%s)',  # noqa: S608
            [list(self.ids)],
        )
        fields_ = [self._fields[name] for name in fnames]
        return {
            row[0]: (
                {
                    field.name: self._gsp_audit_column(field, value)
                    for field, value in zip(fields_, row[2:], strict=True)
                },
                row[1],
            )
            for row in self.env.cr.fetchall()
        }

    def _gsp_audit_sql_written(self, fname, old_values):
        """Record what a module's SQL statement wrote in ``fname`` of these records (their cache
        invalidated), given their values before ({id: database value}): the modules' SQL writes on
        audited records go into the trail like the ORM's."""
        rule = self._gsp_audit_rule() if self else None
        if not (rule and rule[2] and self._gsp_audit_fields(rule, {fname})):
            return
        field = self._fields[fname]
        new = self._gsp_audit_values([fname])
        changes = {
            record_id: [{"field": fname, "old": old, "new": values[fname]}]
            for record_id, values in new.items()
            if (old := self._gsp_audit_column(field, old_values.get(record_id))) != values[fname]
        }
        self.env["gsp.audit.log"]._log(self._gsp_audit_entries("write", changes))

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

    # --- Electronic signatures (G2): see gsp_decisions ----------------------------------------
    def _gsp_signatures(self, meaning, method):
        """The signatures these records are taking the decision of ``method`` with (declared in
        gsp_decisions). Called first by every method carrying out a declared decision: whatever
        the caller (web client, XML-RPC/JSON-RPC, server or automated action, other code), the
        decision runs only inside the authorisation the signature wizard (or the system path)
        opened for these very records, this user and this meaning. Otherwise it is refused: with
        what is missing when its preconditions fail, else for the signature."""
        decision = decision_of(self._name, method)
        if decision is None:
            raise UserError(self.env._("This decision cannot be signed."))
        authorisation = current_authorisation()
        if (
            authorisation
            and authorisation.decision == decision
            and authorisation.uid == self.env.uid
            and authorisation.meaning == meaning
            and set(self.ids) <= authorisation.ids
        ):
            return (
                self.env["gsp.signature"]
                .sudo()  # sudo: the signatures just given, read-protected by company rules
                .browse(authorisation.signature_ids)
                .filtered(lambda signature: signature.res_id in self.ids)
            )
        self._gsp_check_decision(decision, meaning)
        raise UserError(
            self.env._(
                "%(records)s: this decision requires an electronic signature (password, meaning and"
                " reason). Use the button on the record, which asks for them.",
                records=", ".join(self.mapped("display_name")) or self._description,
            )
        )

    def _gsp_check_decision(self, decision, meaning):
        """Refuse, saying what is missing, when these records cannot take ``decision`` with
        ``meaning`` now: the declared meanings and groups, then the decision's own check."""
        if meaning not in decision.meanings:
            raise UserError(self.env._("This decision cannot be signed with this meaning."))
        if not self:
            raise UserError(self.env._("Choose the records to sign for."))
        # The decision's own check first: it names what is missing in the words of its module.
        getattr(self, decision.check)()
        user = self.env.user
        if not (self.env.su or any(user.has_group(group) for group in decision.groups)):
            groups = ", ".join(self.env.ref(group).sudo().full_name for group in decision.groups)
            raise AccessError(
                self.env._(
                    "%(records)s: only %(groups)s can take this decision. Ask one of them.",
                    records=", ".join(self.mapped("display_name")),
                    groups=groups,
                )
            )

    def _gsp_system_decision(self, method, reason, meaning=None):
        """The documented system path of a declared decision, for ``odoo shell`` scripts and
        migrations: superuser only (never a remote call: a private method, and remote calls do
        not run as the superuser). The decision is recorded with a system signature (who ran it,
        when, the meaning and ``reason``), shown like the others, then carried out."""
        decision = decision_of(self._name, method)
        if decision is None or decision.method != method:
            raise UserError(self.env._("This decision cannot be signed."))
        if not self.env.su:
            raise AccessError(self.env._("Only the system may take a decision without a signature."))
        meaning = meaning or decision.meanings[0]
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for this system decision: it is recorded with it."))
        self._gsp_check_decision(decision, meaning)
        signatures = self.env["gsp.signature"]._gsp_make(
            [
                {
                    "user_id": self.env.uid,
                    "meaning": meaning,
                    "reason": reason,
                    "res_model": self._name,
                    "res_id": record.id,
                    "record_name": record.display_name,
                    "method": method,
                    "is_system": True,
                    "company_id": (record.company_id.id if "company_id" in record._fields else False)
                    or self.env.company.id,
                }
                for record in self
            ]
        )
        signatures._consume()
        with authorised(decision, self, meaning, signatures):
            return getattr(self, method)()

    def action_gsp_sign(self):
        """Open the signature wizard for the decision named in the context (``gsp_method``,
        ``gsp_meaning``), from a button. The wizard accepts only declared decisions."""
        context = self.env.context
        return self.env["gsp.signature.wizard"]._open_for(
            self, context.get("gsp_method"), context.get("gsp_meaning")
        )
