# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import (
    test_capa_action,
    test_capa_i18n,
    test_capa_origin_mixin,
    test_capa_report,
    test_capa_security,
    test_capa_tour,
    test_capa_workflow,
    test_install,
    test_plain_names_i18n,
    test_web_client,
)
