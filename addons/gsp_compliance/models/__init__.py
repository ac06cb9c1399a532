# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

# The mixins first: the models below inherit them.
from . import base, gsp_retention_mixin, gsp_signed_mixin

# isort: split
from . import (
    capa_record,
    gsp_acceptance,
    gsp_audit_log,
    gsp_audit_rule,
    gsp_audit_verification,
    gsp_license,
    gsp_signature,
    product_template,
    purchase_order,
    recall_disposition,
    recall_event,
    recall_notice,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    stock_lot,
    stock_lot_quarantine_event,
    stock_move_line,
    stock_picking,
)
