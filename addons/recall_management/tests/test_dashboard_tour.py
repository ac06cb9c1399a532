# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    """The KPI dashboard, on the demo data, opens on a chart that has something to show: the
    real recalls by level and state (not the drills)."""

    def test_kpi_dashboard_first_chart_on_demo(self):
        qa = self.env.ref("capa.demo_user_qa", raise_if_not_found=False)
        self.assertTrue(qa, "The demo data is not loaded: this tour runs on it (make test loads it).")
        action = self.env.ref("recall_management.recall_event_action_dashboard")
        groups = (
            self.env["recall.event"]
            .with_user(qa)
            ._read_group(safe_eval(action.domain), ["level_id", "state"], ["__count"])
        )
        self.assertTrue(groups)
        self.assertIn(
            self.env.ref("recall_management.recall_level_2"), [level for level, _state, _count in groups]
        )
        # As the demo's quality manager, in Chinese.
        self.start_tour(
            "/odoo/action-recall_management.recall_event_action_dashboard",
            "recall_kpi_dashboard",
            login="wangli",
        )
