# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class GspRetentionMixin(models.AbstractModel):
    """G8: regulated records are kept (archived, never deleted) during the company's retention
    period, counted from their creation. Drafts that never entered the regulated process (see
    ``_gsp_retained``) can still be deleted."""

    _name = "gsp.retention.mixin"
    _description = "Retention of Regulated Records"

    def _gsp_retained(self):
        """The records under retention; override to exempt drafts."""
        return self

    @api.ondelete(at_uninstall=False)
    def _unlink_except_retained(self):
        now = fields.Datetime.now()
        for record in self._gsp_retained():
            company = (
                record.company_id
                if "company_id" in record._fields and record.company_id
                else self.env.company
            )
            years = company.gsp_retention_years
            if record.create_date and record.create_date + relativedelta(years=years) > now:
                raise UserError(
                    self.env._(
                        "%(record)s is a regulated record: it is kept for %(years)s years from its"
                        " creation (GSP retention) and cannot be deleted. Archive or cancel it instead.",
                        record=record.display_name,
                        years=years,
                    )
                )
