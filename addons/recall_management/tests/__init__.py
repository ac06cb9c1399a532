# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import (
    test_blocking,
    test_execution,
    test_i18n,
    test_install,
    test_mock,
    test_notices,
    test_portal,
    test_release_policy,
    test_reports,
    test_security,
    test_tour,
    test_trace,
    test_workflow,
)
