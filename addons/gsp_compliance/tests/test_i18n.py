# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import tagged

from odoo.addons.capa.tests import test_capa_i18n


@tagged("post_install", "-at_install")
class TestGspTranslations(test_capa_i18n.TestCapaTranslations):
    """Every exported term of gsp_compliance is in its .pot and translated in zh_CN.po."""

    module = "gsp_compliance"
    allow_inherited_tests_method = True  # Odoo's loader skips inherited tests otherwise
