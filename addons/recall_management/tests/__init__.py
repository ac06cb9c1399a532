# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import (
    test_blocking,
    test_dashboard_tour,
    test_drill_register,
    test_execution,
    test_follow_up,
    test_i18n,
    test_install,
    test_mock,
    test_notice_letter_pdf,
    test_notices,
    test_portal,
    test_portal_i18n,
    test_regulator_reports_bilingual,
    test_release_policy,
    test_reports,
    test_security,
    test_tour,
    test_trace,
    test_trace_screens,
    test_workflow,
)
