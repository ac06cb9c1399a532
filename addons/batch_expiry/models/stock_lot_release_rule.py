# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

# What stock of a lot may do, in the order of the matrix's columns. "reserve" is the automatic
# reservation (Check Availability, the scheduler); the others are the operation a move makes,
# decided by its destination (see stock.lot._release_operation).
OPERATIONS = (
    "reserve",
    "internal",
    "customer",
    "production",
    "supplier",
    "scrap",
    "quarantine",
)


class StockLotReleaseRule(models.Model):
    """One status a lot can be held in (quarantined, expired, recalled, ...) and what stock in that
    status may do: the lot-release matrix, one row per status, like the batch disposition codes of
    other ERPs. Each module adds the rows of the statuses it decides; quality managers set what
    each status allows. A lot with no status is released."""

    _name = "stock.lot.release.rule"
    _description = "Lot Release Rule"
    _order = "sequence, id"

    code = fields.Char(required=True, readonly=True, help="Technical name of the status.")
    name = fields.Char(string="Status", required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True, help="When a lot is in this status.")
    remedy = fields.Text(
        string="What to Do", translate=True, help="Told to the user whose operation is refused."
    )
    allow_reserve = fields.Boolean(
        string="Reserve", help="Automatic reservation may take the lot (for the operations allowed here)."
    )
    allow_internal = fields.Boolean(
        string="Internal Move", help="Moves between internal locations, receipts and returns into stock."
    )
    allow_customer = fields.Boolean(string="Deliver to a Customer")
    allow_production = fields.Boolean(string="Consume in Production")
    allow_supplier = fields.Boolean(string="Return to the Supplier")
    allow_scrap = fields.Boolean(string="Scrap", help="Scrap, and inventory losses.")
    allow_quarantine = fields.Boolean(string="Move into Quarantine")

    _sql_constraints = [("code_unique", "UNIQUE(code)", "Each lot status has one rule.")]

    @api.model_create_multi
    def create(self, vals_list):
        # The statuses are decided in code; a row nobody computes would block nothing.
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Lot statuses come with the modules that decide them: their rules can be changed,"
                    " not created."
                )
            )
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if "code" in vals and not self.env.su:
            raise UserError(self.env._("The status of a rule cannot be changed, only what it allows."))
        self.env.registry.clear_cache()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Lot release rules cannot be deleted: set what the status allows instead.")
        )

    @api.model
    def _allowed(self, code, operation):
        """Whether stock of a lot in status ``code`` may do ``operation``. A status without a
        rule allows nothing but quarantine (the safe side)."""
        allowed = self._matrix().get(code)
        if allowed is None:
            return operation == "quarantine"
        return operation in allowed

    @api.model
    @tools.ormcache()
    def _matrix(self):
        """{status code: frozenset of the operations it allows}, cached until a rule changes."""
        rules = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(  # sudo: the rule applies to all
                [], ["code", *(f"allow_{operation}" for operation in OPERATIONS)]
            )
        )
        return {rule.code: frozenset(op for op in OPERATIONS if rule[f"allow_{op}"]) for rule in rules}

    @api.model
    def _by_code(self, codes):
        """The rules of ``codes``, for their names and remedies (in the user's language)."""
        rules = self.sudo().search([("code", "in", list(codes))])  # sudo: labels of the refusal
        return {rule.code: rule for rule in rules}
