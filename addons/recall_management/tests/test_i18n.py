# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import tagged

from odoo.addons.capa.tests import test_capa_i18n


@tagged("post_install", "-at_install")
class TestRecallTranslations(test_capa_i18n.TestCapaTranslations):
    """Every exported term of recall_management is in its .pot and translated in zh_CN.po."""

    module = "recall_management"
    allow_inherited_tests_method = True  # Odoo's loader skips inherited tests otherwise
