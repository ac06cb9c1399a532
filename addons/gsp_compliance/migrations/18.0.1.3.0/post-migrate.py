# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.3.0: audit trail entries carry no create/write bookkeeping columns (who and when are the
entry's own, hashed, user and timestamp) and their hash is not indexed (the chain is read by id):
drop them from databases installed before, as a new install has them. Dropping a column is a
change of the table's definition, not of its rows: the append-only trigger is not involved, and
no entry's hash covers these columns."""


def migrate(cr, version):
    cr.execute(
        """
        ALTER TABLE gsp_audit_log
            DROP COLUMN IF EXISTS create_uid,
            DROP COLUMN IF EXISTS write_uid,
            DROP COLUMN IF EXISTS create_date,
            DROP COLUMN IF EXISTS write_date;
        DROP INDEX IF EXISTS gsp_audit_log__hash_index;
        """
    )
