# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import (
    mail_mail,
    recall_cost,
    recall_disposition,
    recall_event,
    recall_event_line,
    recall_level,
    recall_notice,
    recall_notice_line,
    recall_trace_line,
    res_company,
    sale_order,
    stock_lot,
    stock_move,
    stock_move_line,
    stock_picking,
)
