# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import gsp_ledger_wizard, gsp_signature_wizard, stock_lot_quarantine_wizard
