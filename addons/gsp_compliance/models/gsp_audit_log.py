# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import hashlib
import hmac
import io
import json
import logging
import os
import secrets

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import config

from .base import KEPT

_logger = logging.getLogger(__name__)

OPERATIONS = [
    ("create", "Creation"),
    ("write", "Change"),
    ("unlink", "Deletion"),
    ("signature", "Signature"),
    ("login_failure", "Failed Signature Login"),
    ("export", "Export"),
]
PENDING = "gsp.audit.pending"


def _copy_value(value):
    """A value in PostgreSQL's COPY text format."""
    if value is None or value is False:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_row(row):
    """A row (a tuple of values) as a line of PostgreSQL's COPY text format."""
    return "\t".join(map(_copy_value, row)) + "\n"


# The secret keying the entries (HMAC-SHA256), kept outside the database.
KEY_ENV = "GSP_AUDIT_KEY"
KEY_OPTION = "gsp_audit_key"


def audit_key(env):
    """The key of the audit trail: the environment variable GSP_AUDIT_KEY, else the option
    ``gsp_audit_key`` of the server configuration. Without either, a server run for tests or
    development (--test-enable, --dev) uses a key generated once in its data directory; any
    other server refuses to write or verify the trail, saying how to set one."""
    key = os.environ.get(KEY_ENV) or config.get(KEY_OPTION)
    if key:
        return str(key).encode()
    if not (config.get("test_enable") or config.get("dev_mode")):
        raise UserError(
            env._(
                "The audit trail has no key: set the environment variable GSP_AUDIT_KEY or the option"
                " gsp_audit_key in the Odoo server configuration (a long random secret, kept outside the"
                " database and its backups), then restart the server."
            )
        )
    path = os.path.join(config["data_dir"], "gsp_compliance", "audit-dev.key")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as key_file:
            key_file.write(secrets.token_hex(32))
        _logger.warning("Audit trail: no key configured, a development key was generated in %s", path)
    with open(path) as key_file:
        return key_file.read().strip().encode()


def entry_hash(
    prev_hash, model, res_id, record_name, operation, user_id, timestamp, changes, reason, key=None
):
    """HMAC-SHA256 (with ``key``; SHA-256 for the entries written before the trail was keyed) of an
    entry's content and the hash of the entry before it."""
    content = json.dumps(
        [
            prev_hash or "",
            model,
            res_id,
            record_name or "",
            operation,
            user_id,
            timestamp,
            changes,
            reason or "",
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    if key:
        return hmac.new(key, content.encode(), hashlib.sha256).hexdigest()
    return hashlib.sha256(content.encode()).hexdigest()


class GspAuditLog(models.Model):
    """The tamper-evident audit trail (G1): one entry per audited change, with who, when, what
    (old and new values) and why, chained by SHA-256 hashes.

    Entries are written in SQL only (``_log``, ``_log_now``); the ORM refuses to create, change or
    delete them for everybody, superuser included, and a PostgreSQL trigger refuses UPDATE, DELETE
    and TRUNCATE on the table. ``verify_chain()`` recomputes the chain and names the first entry
    that does not match (changed, deleted or inserted by someone who disabled the trigger)."""

    _name = "gsp.audit.log"
    _description = "Audit Trail Entry"
    _order = "id desc"
    # No create/write bookkeeping columns: who and when are the entry's own user_id and timestamp
    # (hashed), and an entry is never written again. Four columns and two foreign-key checks less
    # on every insert (``make bench``: the cost of an audited write).
    _log_access = False
    _rec_name = "record_name"

    model = fields.Char(required=True, readonly=True, index=True)
    res_id = fields.Integer(string="Record ID", readonly=True, index=True)
    record_name = fields.Char(string="Record", readonly=True)
    operation = fields.Selection(OPERATIONS, required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", readonly=True, index=True)
    timestamp = fields.Datetime(required=True, readonly=True, index=True)
    changes = fields.Text(readonly=True, help="JSON: a list of {field, old, new}.")
    reason = fields.Text(readonly=True)
    prev_hash = fields.Char(string="Previous Hash", readonly=True)
    hash = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    changes_display = fields.Html(string="Changes (Readable)", compute="_compute_changes_display")
    changes_text = fields.Text(
        string="Changes in Brief",
        compute="_compute_changes_text",
        help="Each changed field with its old and new values, as people read them.",
    )
    changed_field = fields.Char(
        compute="_compute_changed_field",
        search="_search_changed_field",
        help="The fields the entry changed (their label or technical name).",
    )
    model_description = fields.Char(
        string="Document Type",
        compute="_compute_model_description",
        search="_search_model_description",
        help="The kind of document the entry is about, as the application names it.",
    )

    def init(self):
        self.env.cr.execute(
            """
            CREATE OR REPLACE FUNCTION gsp_audit_log_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'gsp_audit_log is append-only: % refused', TG_OP;
            END;
            $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS gsp_audit_log_append_only ON gsp_audit_log;
            CREATE TRIGGER gsp_audit_log_append_only BEFORE UPDATE OR DELETE ON gsp_audit_log
                FOR EACH ROW EXECUTE FUNCTION gsp_audit_log_append_only();
            DROP TRIGGER IF EXISTS gsp_audit_log_no_truncate ON gsp_audit_log;
            CREATE TRIGGER gsp_audit_log_no_truncate BEFORE TRUNCATE ON gsp_audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION gsp_audit_log_append_only();
            """
        )
        # The head of the chain: one row, locked by each writer (see _insert).
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS gsp_audit_head (
                id integer PRIMARY KEY CHECK (id = 1), last_id integer NOT NULL, hash varchar NOT NULL
            );
            INSERT INTO gsp_audit_head (id, last_id, hash)
                 SELECT 1, COALESCE(MAX(id), 0),
                        COALESCE((SELECT hash FROM gsp_audit_log ORDER BY id DESC LIMIT 1), '')
                   FROM gsp_audit_log
            ON CONFLICT (id) DO NOTHING;
            -- Entries from this one on are keyed (HMAC); those before were written unkeyed.
            ALTER TABLE gsp_audit_head ADD COLUMN IF NOT EXISTS keyed_from_id integer;
            UPDATE gsp_audit_head SET keyed_from_id = last_id + 1 WHERE keyed_from_id IS NULL;
            """
        )

    # --- Reading the changes --------------------------------------------------------------------
    # Changes recorded under no field of the entry's model: a signature's meaning (and a failed
    # signature login's), an export's fields and records.
    SIGNATURE_OPERATIONS = ("signature", "login_failure")

    def _special_changes(self):
        """``{name: (operations, label, field or None)}`` of those changes."""
        meaning = self.env["gsp.signature"]._fields["meaning"]
        meaning_label = meaning._description_string(self.env)
        return {
            "meaning": (self.SIGNATURE_OPERATIONS, meaning_label, meaning),
            "signature": (self.SIGNATURE_OPERATIONS, meaning_label, meaning),
            "fields": (("export",), self.env._("Exported Fields"), None),
            "ids": (("export",), self.env._("Exported Record IDs"), None),
        }

    def _readable_changes(self):
        """``{entry id: [(label, old, new)]}``: each change of the entries as people read it.

        The label is the field's, in the user's language (its technical name when the model or
        the field no longer exists); the values are text: a selection's label, a many2one's
        name, Yes or No, dates in the user's format and time zone, lists joined with commas,
        empty as "". An entry whose changes are not a JSON list gives one row, its raw text as
        the new value, without label."""
        describe = self._change_describer()
        readable = {}
        for entry in self:
            try:
                changes = json.loads(entry.changes or "[]")
            except ValueError:
                changes = None
            if not isinstance(changes, list):
                readable[entry.id] = [("", "", entry.changes or "")]
                continue
            rows = []
            for change in changes:
                if isinstance(change, dict):
                    label, as_text = describe(entry.model, entry.operation, change.get("field"))
                    rows.append((label, as_text(change.get("old")), as_text(change.get("new"))))
            readable[entry.id] = rows
        return readable

    def _change_describer(self):
        """A function ``(model, operation, field name) -> (label, value to text)``, caching each
        field for the batch: thousands of entries of the same few fields resolve each once."""
        env = self.env
        yes, no = env._("Yes"), env._("No")
        lang = env["res.lang"]._get_data(code=env.lang or "en_US")
        date_format = lang.date_format or "%m/%d/%Y"
        datetime_format = f"{date_format} {lang.time_format or '%H:%M:%S'}"
        special = self._special_changes()
        cache = {}

        def plain(value):
            if value is None or value is False or value == "" or value == []:
                return ""
            if value is True:
                return yes
            if isinstance(value, float):
                return str(int(value)) if value.is_integer() else str(value)
            if isinstance(value, list):
                if len(value) == 2 and type(value[0]) is int and isinstance(value[1], (str, bool)):
                    # A many2one as recorded: [id, name].
                    return (value[1] if isinstance(value[1], str) else "") or f"#{value[0]}"
                return ", ".join(text for text in map(plain, value) if text)
            if isinstance(value, dict):
                return json.dumps(value, ensure_ascii=False)
            return str(value)

        def selection(field):
            try:
                labels = dict(field._description_selection(env))
            except Exception:
                # A dynamic selection that no longer computes: its keys then.
                _logger.debug("Audit trail: no selection labels for %s", field, exc_info=True)
                labels = {}
            return lambda value: labels.get(value, value) if isinstance(value, str) else plain(value)

        def moment(field):
            def as_text(value):
                if not value or not isinstance(value, str):
                    return plain(value)
                try:
                    if field.type == "date":
                        return fields.Date.to_date(value).strftime(date_format)
                    local = fields.Datetime.context_timestamp(self, fields.Datetime.to_datetime(value))
                    return local.strftime(datetime_format)
                except (TypeError, ValueError):
                    return value

            return as_text

        def formatter(field):
            if field is None:
                return plain
            if field.type == "boolean":
                return lambda value: "" if value is None else (yes if value else no)
            if field.type == "selection":
                return selection(field)
            if field.type in ("date", "datetime"):
                return moment(field)
            return plain

        def describe(model, operation, name):
            key = (model, operation, name)
            if key not in cache:
                label, field = str(name or ""), None
                if name in special and operation in special[name][0]:
                    _operations, label, field = special[name]
                elif model in env.registry and isinstance(name, str) and name in env[model]._fields:
                    field = env[model]._fields[name]
                    label = field._description_string(env) or name
                cache[key] = (label, formatter(field))
            return cache[key]

        return describe

    @api.model
    def _change_line(self, label, old, new):
        """One change as text: "Label: old → new" (the raw text alone, without label)."""
        if not label:
            return new
        return self.env._("%(field)s: %(old)s → %(new)s", field=label, old=old, new=new)

    @api.depends("changes", "model", "operation")
    @api.depends_context("lang", "tz")
    def _compute_changes_display(self):
        header = Markup("<tr><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("Field"),
            self.env._("Old"),
            self.env._("New"),
        )
        readable = self._readable_changes()
        for entry in self:
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % row for row in readable[entry.id]
            )
            entry.changes_display = Markup(
                "<table class='table table-sm o_gsp_audit_changes'><thead>%s</thead><tbody>%s</tbody></table>"
            ) % (header, rows)

    @api.depends("changes", "model", "operation")
    @api.depends_context("lang", "tz")
    def _compute_changes_text(self):
        readable = self._readable_changes()
        for entry in self:
            entry.changes_text = "; ".join(self._change_line(*row) for row in readable[entry.id])

    @api.depends("changes", "model", "operation")
    @api.depends_context("lang")
    def _compute_changed_field(self):
        readable = self._readable_changes()
        for entry in self:
            labels = dict.fromkeys(label for label, _old, _new in readable[entry.id] if label)
            entry.changed_field = ", ".join(labels)

    def _search_changed_field(self, operator, value):
        """Entries that changed a field named ``value``: by its label (in the user's language or
        in English) or technical name, on the models with an audit rule; by its exact technical
        name, on any model (a field or model removed since)."""
        from odoo.osv import expression

        positive = {"ilike": "ilike", "like": "ilike", "=": "=ilike", "=ilike": "=ilike"}
        negative = {"not ilike": "ilike", "not like": "ilike", "!=": "=ilike"}
        like = positive.get(operator) or negative.get(operator)
        if not like:
            raise UserError(
                self.env._("The changed field cannot be searched with %(operator)s.", operator=operator)
            )
        if not isinstance(value, str) or not value.strip():
            return [] if operator in positive else expression.FALSE_DOMAIN
        value = value.strip()
        rules = (
            self.env["gsp.audit.rule"]
            .sudo()
            .with_context(active_test=False)
            .search([("model_id", "!=", False)])
        )
        field_domain = [
            ("model", "in", rules.model_id.mapped("model")),
            "|",
            ("name", like, value),
            ("field_description", like, value),
        ]
        Fields = self.env["ir.model.fields"].sudo()  # sudo: field names are not secret
        models_by_name = {}  # technical name: {models}, or None for any model
        for lang in dict.fromkeys([self.env.lang or "en_US", "en_US"]):
            for field in Fields.with_context(lang=lang).search_fetch(field_domain, ["model", "name"]):
                models_by_name.setdefault(field.name, set()).add(field.model)
        models_by_name[value] = None

        def named(name):
            # LIKE's wildcards taken literally; the JSON as _entry_defaults writes it, or compact.
            literal = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            return expression.OR(
                [[("changes", "=like", f'%"field":{space}"{literal}"%')] for space in (" ", "")]
            )

        domains = [
            named(name)
            if models is None
            else expression.AND([[("model", "in", sorted(models))], named(name)])
            for name, models in models_by_name.items()
        ]
        needle = value.lower()
        for name, (operations, label, _field) in self._special_changes().items():
            if any(needle == text if like == "=ilike" else needle in text for text in (label.lower(), name)):
                domains.append(expression.AND([[("operation", "in", operations)], named(name)]))
        domain = expression.OR(domains)
        if operator in negative:
            return ["!", *expression.normalize_domain(domain)]
        return domain

    @api.depends("model")
    @api.depends_context("lang")
    def _compute_model_description(self):
        names = {}
        for entry in self:
            if entry.model not in names:
                names[entry.model] = self.env["ir.model"]._get(entry.model).name or entry.model or ""
            entry.model_description = names[entry.model]

    def _search_model_description(self, operator, value):
        """Entries about the documents whose name (in the user's language) or technical model
        matches ``value``."""
        negative = {"not ilike": "ilike", "not like": "like", "!=": "=", "not in": "in"}
        search_operator = negative.get(operator, operator)
        models = (
            self.env["ir.model"]
            .sudo()  # sudo: model names are not secret
            .search(["|", ("name", search_operator, value), ("model", search_operator, value)])
            .mapped("model")
        )
        return [("model", "not in" if operator in negative else "in", models)]

    # --- Append only ------------------------------------------------------------------------------
    # Not calling super() is the point: the ORM never creates, changes or deletes entries.
    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        if not vals_list:
            return self.browse()
        raise AccessError(self.env._("The audit trail is written by the system only."))

    def write(self, vals):  # pylint: disable=method-required-super
        if not self:
            return True
        raise AccessError(self.env._("Audit trail entries cannot be changed, not even by an administrator."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("Audit trail entries cannot be deleted, not even by an administrator."))

    # --- Writing ----------------------------------------------------------------------------------
    # Entries are kept in memory with the transaction (cr.precommit.data) as they come, then
    # chained and written to the trail when it commits, or when a savepoint opens or closes (Odoo
    # runs the commit hooks there): the entries of the changes made before a savepoint are in the
    # table, rolled back with it; those made inside it are in memory, cleared with the cache when
    # it is rolled back. So the trail never records a change that did not happen nor names a
    # record that no longer exists, and a change costs no round trip to the database.
    @api.model
    def _log(self, entries):
        """Keep entries with the transaction; they are chained and written when it commits."""
        if not entries:
            return
        cr = self.env.cr
        cr.precommit.data.setdefault(KEPT, []).extend(self._entry_defaults(entry) for entry in entries)
        if not cr.precommit.data.get(PENDING):
            # Registered again after each run of the commit hooks (a savepoint runs them too).
            cr.precommit.data[PENDING] = True
            env = self.env

            @cr.precommit.add
            def _flush():
                # An entry kept by a later commit hook registers this hook again: it runs too.
                cr.precommit.data[PENDING] = False
                env["gsp.audit.log"]._flush_pending()

    @api.model
    def _log_now(self, entries):
        """Write entries at once (signatures, failed passwords)."""
        self._flush_pending()
        self._insert([self._entry_defaults(entry) for entry in entries])

    @api.model
    def _entry_defaults(self, entry):
        entry = dict(entry)
        entry.setdefault("user_id", self.env.uid)
        entry.setdefault("timestamp", fields.Datetime.to_string(fields.Datetime.now()))
        entry.setdefault("company_id", self.env.company.id)
        entry.setdefault("res_id", 0)
        entry.setdefault("reason", None)
        if not isinstance(entry.get("changes"), str):
            entry["changes"] = json.dumps(entry.get("changes") or [], ensure_ascii=False, default=str)
        return entry

    @api.model
    def _flush_pending(self):
        """Chain and write the entries kept for the transaction, in the order they came."""
        kept = self.env.cr.precommit.data.get(KEPT)
        if kept:
            entries = list(kept)
            kept.clear()
            self._insert(entries)

    @api.model
    def _insert(self, entries):
        if not entries:
            return
        cr = self.env.cr
        # The head row serialises the writers: a writer waits for the one holding it, and then
        # (its snapshot being older than that writer's commit) PostgreSQL refuses it with a
        # serialization failure, which Odoo retries (the transaction again, from the start): every
        # entry then links to the entry written before it, whatever the number of writers. Without
        # it, a writer waiting on a lock would still read the head of its old snapshot and fork
        # the chain.
        key = audit_key(self.env)
        entries = self._without_removed_references(entries)
        cr.execute("SELECT hash FROM gsp_audit_head WHERE id = 1 FOR UPDATE")
        row = cr.fetchone()
        prev = row[0] if row else ""
        rows = []
        for entry in entries:
            digest = entry_hash(
                prev,
                entry["model"],
                entry["res_id"],
                entry.get("record_name"),
                entry["operation"],
                entry["user_id"],
                entry["timestamp"],
                entry["changes"],
                entry.get("reason"),
                key=key,
            )
            rows.append(
                (
                    entry["model"],
                    entry["res_id"],
                    entry.get("record_name") or "",
                    entry["operation"],
                    entry["user_id"],
                    entry["timestamp"],
                    entry["changes"],
                    entry.get("reason"),
                    prev,
                    digest,
                    entry.get("company_id"),
                )
            )
            prev = digest
        # COPY rather than INSERT: ten thousand entries (one busy transaction) go in at once.
        buffer = io.StringIO()
        buffer.writelines(_copy_row(row) for row in rows)
        buffer.seek(0)
        cr._obj.copy_expert(
            "COPY gsp_audit_log (model, res_id, record_name, operation, user_id, timestamp, changes, reason,"
            " prev_hash, hash, company_id) FROM STDIN",
            buffer,
        )
        cr.execute(
            "UPDATE gsp_audit_head SET hash = %s, last_id = (SELECT MAX(id) FROM gsp_audit_log) WHERE id = 1",
            (prev,),
        )
        self.invalidate_model()

    @api.model
    def _without_removed_references(self, entries):
        """The entries, naming no company or user that the transaction removed after staging
        them (a company created and deleted by the same transaction): the entry keeps the record
        it names and the change, and the commit never fails on it."""
        cr = self.env.cr
        kept = {}
        for column, table in (("company_id", "res_company"), ("user_id", "res_users")):
            ids = list({entry[column] for entry in entries if entry.get(column)})
            cr.execute(f"SELECT id FROM {table} WHERE id = ANY(%s)", [ids])  # noqa: S608 (fixed names)
            kept[column] = {row[0] for row in cr.fetchall()}
        return [
            dict(
                entry,
                **{
                    column: entry.get(column) if entry.get(column) in kept[column] else None
                    for column in kept
                },
            )
            for entry in entries
        ]

    # --- Verifying ----------------------------------------------------------------------------
    @api.model
    def verify_chain(self, batch_size=20000, incremental=False):
        """Recompute the chain in id order, keyed (see audit_key). Returns ``(ok, broken)``:
        whether every entry matches its hash and links to the one before it, the chain ends at
        the head written with the last entry, and every head anchored outside the database (see
        ``_anchor``) is still in it; and the first entry that does not hold (empty when the
        chain holds). With ``incremental``, the entries after the last anchor only. Reads in
        keyset pages, so a million entries stay out of memory."""
        self._flush_pending()
        self.env.flush_all()
        cr = self.env.cr
        key = audit_key(self.env)
        cr.execute("SELECT last_id, hash, keyed_from_id FROM gsp_audit_head WHERE id = 1")
        head = cr.fetchone() or (0, "", 1)
        keyed_from = head[2] or 1
        anchors = self._anchors(key)
        if anchors is None:
            return False, self.browse()
        # An anchored head missing or changed: the tail was cut, or the chain re-hashed.
        for anchor in anchors:
            cr.execute("SELECT hash FROM gsp_audit_log WHERE id = %s", (anchor["id"],))
            row = cr.fetchone()
            if not row or row[0] != anchor["hash"]:
                return False, self.browse(anchor["id"])
        prev, last_id = "", 0
        if incremental and anchors:
            last_id, prev = anchors[-1]["id"], anchors[-1]["hash"]
        while True:
            cr.execute(
                """SELECT id, model, res_id, record_name, operation, user_id, timestamp, changes,
                          reason, prev_hash, hash
                     FROM gsp_audit_log WHERE id > %s ORDER BY id LIMIT %s""",
                (last_id, batch_size),
            )
            rows = cr.fetchall()
            if not rows:
                # The head written with the last entry: entries removed from the end show here.
                if head[0] != last_id or head[1] != prev:
                    return False, self.browse(last_id)
                return True, self.browse()
            for (
                entry_id,
                model,
                res_id,
                name,
                operation,
                user_id,
                ts,
                changes,
                reason,
                prev_hash,
                digest,
            ) in rows:
                expected = entry_hash(
                    prev,
                    model,
                    res_id,
                    name,
                    operation,
                    user_id,
                    fields.Datetime.to_string(ts),
                    changes,
                    reason,
                    key=key if entry_id >= keyed_from else None,
                )
                if (prev_hash or "") != prev or digest != expected:
                    return False, self.browse(entry_id)
                prev = digest
            last_id = rows[-1][0]

    # --- Anchoring outside the database --------------------------------------------------------
    # After each verification that holds, the head (last entry and its hash) is appended to a
    # file of the server's data directory, with a MAC under the trail's key: whoever owns the
    # database can neither cut the tail nor re-hash the chain without an anchor showing it.
    @api.model
    def _anchor_path(self):
        return os.path.join(config["data_dir"], "gsp_compliance", "anchors", f"{self.env.cr.dbname}.jsonl")

    @api.model
    def _anchor_mac(self, key, anchor):
        content = f"{self.env.cr.dbname}:{anchor['id']}:{anchor['hash']}:{anchor['date']}"
        return hmac.new(key, content.encode(), hashlib.sha256).hexdigest()

    @api.model
    def _anchors(self, key):
        """The anchored heads, oldest first; None when one was forged or altered."""
        path = self._anchor_path()
        if not os.path.exists(path):
            return []
        anchors = []
        with open(path) as anchor_file:
            for line in anchor_file:
                if not line.strip():
                    continue
                try:
                    anchor = json.loads(line)
                    valid = hmac.compare_digest(anchor["mac"], self._anchor_mac(key, anchor))
                except (ValueError, KeyError, TypeError):
                    valid = False
                if not valid:
                    _logger.error("Audit trail: an anchor of %s is not valid: %s", path, line.strip())
                    return None
                anchors.append(anchor)
        return anchors

    @api.model
    def _anchor(self):
        """Anchor the current head once this transaction commits (the entries it names then
        exist for everyone)."""
        cr = self.env.cr
        cr.execute("SELECT last_id, hash FROM gsp_audit_head WHERE id = 1")
        last_id, digest = cr.fetchone() or (0, "")
        if not last_id:
            return
        anchor = {"id": last_id, "hash": digest, "date": fields.Datetime.to_string(fields.Datetime.now())}
        anchor["mac"] = self._anchor_mac(audit_key(self.env), anchor)
        path = self._anchor_path()

        @cr.postcommit.add
        def _write_anchor():
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "a") as anchor_file:
                anchor_file.write(json.dumps(anchor) + "\n")

    def action_verify_chain(self):
        """The "Verify chain" button of the trail's list (``display="always"``: the list sends the
        selected entries, or none; the whole chain is verified either way): verify now and show
        the result: a dialog with the verification, whose summary says the verdict ("... N
        entries, chain intact" or "BROKEN at entry #id ...")."""
        if not self.env.user.has_group("gsp_compliance.group_gsp_manager"):
            raise AccessError(
                self.env._("Only GSP managers can verify the audit trail. Ask a GSP manager to verify it.")
            )
        verification = self.env["gsp.audit.verification"]._run()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Audit Trail Verification"),
            "res_model": "gsp.audit.verification",
            "res_id": verification.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }
