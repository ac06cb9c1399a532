# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import (
    ir_module_module,
    product_category,
    product_template,
    res_company,
    res_config_settings,
    res_partner,
    stock_fefo_deviation,
    stock_location,
    stock_lot,
    stock_lot_quarantine_event,
    stock_lot_release_rule,
    stock_move,
    stock_move_line,
    stock_picking,
    stock_quant,
    stock_temperature_device,
    stock_temperature_excursion,
    stock_temperature_log,
    stock_warehouse,
)
