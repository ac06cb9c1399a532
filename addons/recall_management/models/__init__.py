# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import (
    recall_level,
    recall_event_line,
    recall_trace_line,
    recall_notice,
    recall_notice_line,
    recall_disposition,
    recall_cost,
    recall_event,
    mail_mail,
    stock_lot,
    stock_move,
    stock_move_line,
    stock_picking,
    sale_order,
)
