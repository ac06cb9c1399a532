# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import quality_decision_mixin  # isort: skip (the models below inherit it)
from . import (
    capa_action,
    capa_origin_mixin,
    capa_record,
    capa_root_cause_category,
    ir_module_module,
    res_company,
    res_partner,
)
