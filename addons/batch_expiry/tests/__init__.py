# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import (
    test_clerk_lists,
    test_cold_chain,
    test_delivery_rules,
    test_expiry_report,
    test_expiry_state,
    test_fefo_deviation,
    test_i18n,
    test_install,
    test_near_expiry_digest,
    test_quarantine,
    test_quarantine_type_i18n,
    test_release_policy,
    test_release_rpc,
    test_temperature_api,
    test_tour,
)
