# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import (
    test_acceptance,
    test_acceptance_tour,
    test_audit,
    test_audit_completeness,
    test_audit_readable,
    test_demo_story,
    test_i18n,
    test_install,
    test_ledgers,
    test_license,
    test_retention,
    test_review,
    test_signature,
)
