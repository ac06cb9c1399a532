# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import json
import os
import tempfile
from unittest.mock import patch

import psycopg2

from odoo import fields
from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import config, mute_logger

from odoo.addons.gsp_compliance.models.gsp_audit_log import audit_key, entry_hash

from .common import GspMixin


@tagged("post_install", "-at_install")
class TestGspAuditTrail(GspMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_gsp()

    def test_change_writes_one_entry_with_old_new_and_user(self):
        self.flush_audit()
        lot = self.lot.with_user(self.quality_manager)
        lot.action_change_expiration_date("2031-05-01 00:00:00", "Supplier's stability data")
        entries = self.dated_entries()
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries.user_id, self.quality_manager)
        self.assertEqual(self.changes(entries)["expiration_date"], (False, "2031-05-01 00:00:00"))
        self.assertEqual(entries.record_name, self.lot.display_name)
        # A field the rule does not cover writes nothing; an unchanged value neither.
        lot.write({"note": "<p>shelf B</p>"})
        lot.action_change_expiration_date("2031-05-01 00:00:00", "Same date")
        self.assertEqual(len(self.dated_entries()), 1)

    def dated_entries(self):
        """The lot's entries recording a change of its expiry date (its expiry state, computed
        from it, has entries of its own)."""
        return self.entries(self.lot, "write").filtered(
            lambda entry: "expiration_date" in self.changes(entry)
        )

    def test_creation_and_deletion_are_recorded(self):
        capa = self.env["capa.record"].with_user(self.quality_user).create({"title": "Audit me"})
        created = self.entries(capa, "create")
        self.assertEqual(len(created), 1)
        self.assertEqual(self.changes(created)["title"], (None, "Audit me"))
        capa_id = capa.id
        capa.sudo().unlink()
        self.flush_audit()
        deleted = self.env["gsp.audit.log"].search(
            [("model", "=", "capa.record"), ("res_id", "=", capa_id), ("operation", "=", "unlink")]
        )
        self.assertEqual(len(deleted), 1)
        self.assertEqual(self.changes(deleted)["title"], ("Audit me", None))

    def test_quarantine_reason_is_recorded(self):
        self.lot.with_user(self.quality_user).quarantine("Seal broken")
        changes = self.changes(self.entries(self.lot, "write")[-1])
        self.assertEqual(changes["is_quarantined"], (False, True))
        self.assertEqual(changes["quarantine_reason"], (False, "Seal broken"))

    def test_orm_cannot_touch_entries_not_even_the_superuser(self):
        self.lot.action_change_expiration_date("2032-01-01 00:00:00", "Stability data")
        entry = self.entries(self.lot, "write")[-1]
        for env in (self.env, self.env(su=True)):
            with self.assertRaises(AccessError):
                entry.with_env(env).write({"reason": "tampered"})
            with self.assertRaises(AccessError):
                entry.with_env(env).unlink()
            with self.assertRaises(AccessError):
                env["gsp.audit.log"].create({"model": "x", "operation": "write"})

    @mute_logger("odoo.sql_db")
    def test_database_trigger_refuses_update_and_delete(self):
        self.lot.action_change_expiration_date("2032-01-01 00:00:00", "Stability data")
        entry = self.entries(self.lot, "write")[-1]
        for statement in (
            "UPDATE gsp_audit_log SET reason = 'tampered' WHERE id = %s",
            "DELETE FROM gsp_audit_log WHERE id = %s",
        ):
            with self.assertRaises(psycopg2.errors.RaiseException), self.env.cr.savepoint():
                self.env.cr.execute(statement, (entry.id,))
        with self.assertRaises(psycopg2.errors.RaiseException), self.env.cr.savepoint():
            self.env.cr.execute("TRUNCATE gsp_audit_log")

    def test_verify_chain_names_an_entry_altered_with_the_trigger_disabled(self):
        for day in ("2032-01-01", "2032-02-01", "2032-03-01"):
            self.lot.write({"expiration_date": f"{day} 00:00:00"})
        entries = self.entries(self.lot, "write")
        ok, broken = self.env["gsp.audit.log"].verify_chain()
        self.assertTrue(ok)
        self.assertFalse(broken)
        target = entries[1]
        cr = self.env.cr
        cr.execute("ALTER TABLE gsp_audit_log DISABLE TRIGGER gsp_audit_log_append_only")
        cr.execute(
            "UPDATE gsp_audit_log SET changes = replace(changes, '2032-02-01', '2035-02-01') WHERE id = %s",
            (target.id,),
        )
        cr.execute("ALTER TABLE gsp_audit_log ENABLE TRIGGER gsp_audit_log_append_only")
        ok, broken = self.env["gsp.audit.log"].verify_chain(batch_size=2)
        self.assertFalse(ok)
        self.assertEqual(broken, target)

    def test_verify_chain_finds_a_deleted_entry(self):
        for day in ("2033-01-01", "2033-02-01", "2033-03-01"):
            self.lot.write({"expiration_date": f"{day} 00:00:00"})
        first, second, third = self.dated_entries()
        cr = self.env.cr
        cr.execute("ALTER TABLE gsp_audit_log DISABLE TRIGGER gsp_audit_log_append_only")
        cr.execute("DELETE FROM gsp_audit_log WHERE id = %s", (second.id,))
        cr.execute("ALTER TABLE gsp_audit_log ENABLE TRIGGER gsp_audit_log_append_only")
        ok, broken = self.env["gsp.audit.log"].verify_chain()
        self.assertFalse(ok)
        self.assertEqual(broken, third, "the entry after the gap no longer links to its predecessor")

    def test_verify_chain_finds_the_tail_removed(self):
        """Deleting the last entries leaves a chain that links, but no longer ends at the head
        written with the last entry."""
        for day in ("2033-04-01", "2033-05-01"):
            self.lot.write({"expiration_date": f"{day} 00:00:00"})
        self.flush_audit()
        self.assertTrue(self.env["gsp.audit.log"].verify_chain()[0])
        last = self.entries(self.lot, "write")[-1]
        cr = self.env.cr
        cr.execute("ALTER TABLE gsp_audit_log DISABLE TRIGGER gsp_audit_log_append_only")
        cr.execute("DELETE FROM gsp_audit_log WHERE id >= %s", (last.id,))
        cr.execute("ALTER TABLE gsp_audit_log ENABLE TRIGGER gsp_audit_log_append_only")
        ok, _broken = self.env["gsp.audit.log"].verify_chain()
        self.assertFalse(ok)

    def test_verify_chain_finds_a_chain_rehashed_with_the_published_algorithm(self):
        """The table owner edits an entry and re-hashes it and every later entry with SHA-256 (the
        algorithm is public; the key is not): the chain links, but the entries are not keyed."""
        for day in ("2033-06-01", "2033-07-01", "2033-08-01"):
            self.lot.write({"expiration_date": f"{day} 00:00:00"})
        self.flush_audit()
        entries = self.entries(self.lot, "write")
        cr = self.env.cr
        cr.execute(
            "SELECT id, hash FROM gsp_audit_log WHERE id < %s ORDER BY id DESC LIMIT 1", (entries[0].id,)
        )
        _before_id, prev = cr.fetchone()
        cr.execute("ALTER TABLE gsp_audit_log DISABLE TRIGGER gsp_audit_log_append_only")
        cr.execute(
            "SELECT id, model, res_id, record_name, operation, user_id, timestamp, changes, reason"
            " FROM gsp_audit_log WHERE id >= %s ORDER BY id",
            (entries[0].id,),
        )
        for entry_id, model, res_id, name, operation, user_id, ts, changes, reason in cr.fetchall():
            changes = changes.replace("2033-07-01", "2036-07-01")
            digest = entry_hash(
                prev, model, res_id, name, operation, user_id, fields.Datetime.to_string(ts), changes, reason
            )
            cr.execute(
                "UPDATE gsp_audit_log SET changes = %s, prev_hash = %s, hash = %s WHERE id = %s",
                (changes, prev, digest, entry_id),
            )
            prev = digest
        cr.execute("UPDATE gsp_audit_head SET hash = %s", (prev,))
        cr.execute("ALTER TABLE gsp_audit_log ENABLE TRIGGER gsp_audit_log_append_only")
        ok, broken = self.env["gsp.audit.log"].verify_chain()
        self.assertFalse(ok)
        self.assertEqual(broken, entries[0])

    def test_anchors_outside_the_database_catch_a_cut_tail(self):
        """After a verification the head is anchored in a file of the data directory (MAC under
        the key). Cutting the tail and rewriting the head row to match is then caught; so is a
        forged anchor."""
        Log = self.env["gsp.audit.log"]
        with (
            tempfile.TemporaryDirectory() as folder,
            patch.object(type(Log), "_anchor_path", lambda self: os.path.join(folder, "anchors.jsonl")),
        ):
            self.lot.write({"expiration_date": "2033-09-01 00:00:00"})
            self.flush_audit()
            Log._anchor()
            self.env.cr.postcommit.run()  # what the commit does
            self.assertTrue(Log.verify_chain()[0])
            self.assertTrue(Log.verify_chain(incremental=True)[0])
            last = self.entries(self.lot, "write")[-1]
            cr = self.env.cr
            cr.execute("ALTER TABLE gsp_audit_log DISABLE TRIGGER gsp_audit_log_append_only")
            cr.execute("DELETE FROM gsp_audit_log WHERE id >= %s", (last.id,))
            cr.execute(
                "UPDATE gsp_audit_head SET last_id = (SELECT MAX(id) FROM gsp_audit_log),"
                " hash = (SELECT hash FROM gsp_audit_log ORDER BY id DESC LIMIT 1)"
            )
            cr.execute("ALTER TABLE gsp_audit_log ENABLE TRIGGER gsp_audit_log_append_only")
            ok, broken = Log.verify_chain()
            self.assertFalse(ok)
            self.assertEqual(broken.id, last.id)
            # A forged anchor (no key): refused as a whole.
            with open(os.path.join(folder, "anchors.jsonl"), "a") as anchors:
                anchors.write(
                    json.dumps({"id": 1, "hash": "x", "date": "2026-01-01", "mac": "forged"}) + "\n"
                )
            with mute_logger("odoo.addons.gsp_compliance.models.gsp_audit_log"):
                self.assertFalse(Log.verify_chain()[0])

    def test_a_server_without_a_key_refuses_to_write_the_trail(self):
        self.flush_audit()
        with (
            patch.dict(os.environ, {}, clear=False),
            patch.dict(config.options, {"test_enable": False, "dev_mode": [], "gsp_audit_key": False}),
        ):
            os.environ.pop("GSP_AUDIT_KEY", None)
            message = ""
            try:  # not assertRaises: its savepoint would flush the trail, which needs the key
                audit_key(self.env)
            except UserError as error:
                message = str(error)
            self.assertIn("GSP_AUDIT_KEY", message)
            os.environ["GSP_AUDIT_KEY"] = "a-production-secret"
            self.assertEqual(audit_key(self.env), b"a-production-secret")

    def test_scheduled_verification_posts_to_the_quality_managers(self):
        self.lot.write({"expiration_date": "2034-01-01 00:00:00"})
        self.flush_audit()
        verification = self.env["gsp.audit.verification"]._cron_verify()
        self.assertTrue(verification.ok)
        self.assertGreater(verification.entry_count, 0)
        message = verification.message_ids[0]
        self.assertIn("chain intact", message.body)
        self.assertIn(self.quality_manager.partner_id, message.partner_ids)
        self.assertIn(self.gsp_manager.partner_id, message.partner_ids)

    def test_verify_button_shows_the_verdict(self):
        action = self.env["gsp.audit.log"].with_user(self.gsp_manager).action_verify_chain()
        verification = self.env["gsp.audit.verification"].browse(action["res_id"])
        self.assertTrue(verification.ok)

    def test_verify_button_as_the_list_calls_it(self):
        """The list's header button sends the selected entries (or none) as the method's records:
        it verified nothing and raised a TypeError while the method was an @api.model one."""
        self.lot.write({"expiration_date": "2034-02-01 00:00:00"})
        self.flush_audit()
        Log = self.env["gsp.audit.log"].with_user(self.gsp_manager)
        for ids in (Log.search([], limit=2).ids, []):
            action = call_kw(Log, "action_verify_chain", [ids], {})
            self.assertTrue(self.env["gsp.audit.verification"].browse(action["res_id"]).ok)

    def test_exports_are_recorded(self):
        self.flush_audit()
        self.quality_user.groups_id += self.env.ref("base.group_allow_export")
        self.lot.with_user(self.quality_user).export_data(["name", "expiration_date"])
        self.flush_audit()
        export = self.env["gsp.audit.log"].search([("model", "=", "stock.lot"), ("operation", "=", "export")])
        self.assertEqual(len(export), 1)
        self.assertEqual(export.user_id, self.quality_user)
        self.assertEqual(self.changes(export)["ids"], (None, self.lot.ids))

    def test_rules_are_configuration(self):
        rule = self.env.ref("gsp_compliance.audit_rule_stock_lot")
        rule.active = False
        self.lot.write({"expiration_date": "2036-01-01 00:00:00"})
        self.env.flush_all()  # the computed fields reach the database under the rule in force
        self.assertFalse(self.entries(self.lot, "write"))
        rule.active = True
        self.lot.write({"expiration_date": "2036-02-01 00:00:00"})
        self.assertEqual(len(self.dated_entries()), 1)
