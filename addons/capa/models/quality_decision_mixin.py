# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, models
from odoo.exceptions import UserError


class QualityDecisionMixin(models.AbstractModel):
    """Records whose decision fields (their state, who approved or concluded, when) change only
    through their actions, which check who may take each decision. A write or create by a user
    that sets one (the web client, JSON-RPC, XML-RPC, an import, a server action) is refused,
    whatever their group; the actions write them with ``_write_decision``. The superuser (scripts,
    crons, the actions themselves) is not refused."""

    _name = "quality.decision.mixin"
    _description = "Record with Decision Fields"

    def _decision_fields(self):
        """The names of the fields carrying a decision. Extended by each model."""
        return set()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            protected = self._decision_fields()
            defaults = self.default_get(list(protected & set().union(*vals_list))) if vals_list else {}
            for vals in vals_list:
                self._refuse_decision_fields(
                    name
                    for name in protected & set(vals)
                    if self._fields[name].convert_to_cache(vals[name], self)
                    != self._fields[name].convert_to_cache(defaults.get(name, False), self)
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            protected = self._decision_fields() & set(vals)
            if protected:
                self._refuse_decision_fields(
                    name
                    for name in protected
                    for record in self
                    if record._fields[name].convert_to_record(
                        record._fields[name].convert_to_cache(vals[name], record), record
                    )
                    != record[name]
                )
        return super().write(vals)

    def _refuse_decision_fields(self, names):
        names = sorted(set(names))
        if names:
            labels = ", ".join(self._fields[name].get_description(self.env)["string"] for name in names)
            raise UserError(
                self.env._(
                    "%(fields)s of %(model)s change only through the record's buttons, which check who may"
                    " take the decision (and ask for the signature where one is needed).",
                    fields=labels,
                    model=self._description,
                )
            )

    def _write_decision(self, vals):
        """Write decision fields, for an action that checked who may take the decision."""
        return self.sudo().write(vals)  # sudo: decision fields are write-protected for users
