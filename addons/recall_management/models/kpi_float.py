# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields


class KpiFloat(fields.Float):
    """A float measure that is empty (NULL), not 0, until it can be measured: a recall with no
    notice sent has no time to notify. The screens show nothing rather than 0.00, and the averages
    of the KPI dashboards (SQL AVG) leave unmeasured recalls out instead of counting them as 0.

    Odoo's Float turns False into 0.0 on its way to the cache and to the column; this one keeps
    None there (the cache compares values with ``!=``, and ``False == 0.0``: a measured 0 would not
    replace an unmeasured value), and gives False to the code and the client. A compute sets
    False for "not measurable"."""

    def convert_to_column(self, value, record, values=None, validate=True):
        if value is None or value is False:
            return None
        return super().convert_to_column(value, record, values, validate)

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False:
            return None
        return super().convert_to_cache(value, record, validate)

    def convert_to_record(self, value, record):
        return False if value is None else value
