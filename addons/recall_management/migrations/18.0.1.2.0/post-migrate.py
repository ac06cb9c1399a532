# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.2.0: a recall's KPIs are empty (NULL), not 0, until they can be measured (KpiFloat).
Clear the zeros stored before for recalls where nothing was measurable yet."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE recall_event SET time_to_notify_hours = NULL WHERE date_notified IS NULL;
        UPDATE recall_event SET time_to_trace_seconds = NULL WHERE date_traced IS NULL;
        UPDATE recall_event SET recovery_rate = NULL WHERE COALESCE(qty_distributed, 0) <= 0;
        UPDATE recall_event event SET notified_rate = NULL, acknowledged_rate = NULL
         WHERE NOT EXISTS (
             SELECT 1 FROM recall_notice notice
              WHERE notice.event_id = event.id AND notice.state != 'cancelled'
         );
        """
    )
