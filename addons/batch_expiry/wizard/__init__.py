# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import stock_fefo_deviation_wizard, stock_lot_expiry_wizard, stock_lot_quarantine_wizard
