# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import logging
from collections import defaultdict
from datetime import timedelta
from typing import NamedTuple

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

_logger = logging.getLogger(__name__)

EXPIRY_STATES = [
    ("no_expiry", "No Expiry"),
    ("valid", "Valid"),
    ("near_expiry", "Near Expiry"),
    ("expired", "Expired"),
]
RELEASE_STATES = [("released", "Released"), ("blocked", "Blocked")]
# The operation a move makes, by the usage of its destination (see _release_operation).
OPERATION_BY_USAGE = {
    "customer": "customer",
    "supplier": "supplier",
    "production": "production",
    "inventory": "scrap",
}


class Block(NamedTuple):
    """One reason that holds a lot back: its status (the code of a stock.lot.release.rule) and
    what it is about, in the user's language (the quarantine reason, the recall, the date)."""

    code: str
    reason: str


class StockLot(models.Model):
    _inherit = "stock.lot"

    expiry_state = fields.Selection(
        EXPIRY_STATES,
        compute="_compute_expiry_state",
        store=True,
        index=True,
        help="Kept up to date by the daily expiry scan.",
    )
    remaining_shelf_life_days = fields.Integer(
        string="Remaining Shelf Life (Days)",
        compute="_compute_remaining_shelf_life",
        help="Days until the expiration date; negative once expired.",
    )
    remaining_shelf_life_percent = fields.Float(
        string="Remaining Shelf Life (%)",
        compute="_compute_remaining_shelf_life",
        help="Share of the product's shelf life that is left.",
    )
    # A lot has no single location (stock.lot.location_id is set only when all its stock is in one
    # place): the list of the internal locations where it has stock, for the clerk's lists.
    stock_location_names = fields.Char(
        string="Locations",
        compute="_compute_stock_location_names",
        help="The internal locations that hold stock of this lot.",
    )
    is_quarantined = fields.Boolean(
        string="Quarantined", readonly=True, copy=False, index=True, tracking=True
    )
    quarantine_reason = fields.Text(readonly=True, copy=False, tracking=True)
    quarantine_event_ids = fields.One2many(
        "stock.lot.quarantine.event", "lot_id", string="Quarantine History", readonly=True
    )
    warehouse_id = fields.Many2one(
        related="location_id.warehouse_id",
        store=True,
        string="Warehouse",
        help="The warehouse of the lot's location, when all its stock is in one location.",
    )
    near_expiry_notified = fields.Boolean(
        readonly=True, copy=False, help="The near-expiry digest has reported this lot (once per lot)."
    )
    # --- Lot-release policy (see _release_blocks) ---
    release_state = fields.Selection(
        RELEASE_STATES,
        string="Release Status",
        compute="_compute_release",
        search="_search_release_state",
        help="Blocked: the lot is held back (quarantine, expiry, recall, acceptance...); the lot-release"
        " rules say what its stock may still do.",
    )
    release_rule_ids = fields.Many2many(
        "stock.lot.release.rule", string="Held As", compute="_compute_release"
    )
    release_reasons = fields.Text(string="Why Held", compute="_compute_release")

    @api.model
    def _expiry_state_of(self, expiration_date, warning_days, now):
        if not expiration_date:
            return "no_expiry"
        if expiration_date <= now:
            return "expired"
        if expiration_date <= now + timedelta(days=warning_days):
            return "near_expiry"
        return "valid"

    @api.depends(
        "expiration_date",
        "product_id.expiry_warning_days",
        "product_id.categ_id.expiry_warning_days",
        "company_id.expiry_warning_days",
    )
    def _compute_expiry_state(self):
        now = fields.Datetime.now()
        for lot in self:
            # A new lot has no product yet in the form: the company's window then.
            warning = lot.product_id.product_tmpl_id._get_expiry_warning_days(lot.company_id)
            lot.expiry_state = self._expiry_state_of(lot.expiration_date, warning, now)

    @api.depends("expiration_date", "product_id.expiration_time", "create_date")
    def _compute_remaining_shelf_life(self):
        today = fields.Date.context_today(self)
        for lot in self:
            if not lot.expiration_date:
                # No shelf life to speak of: the fields hold False (read as 0, so the views hide
                # them for lots without an expiration date rather than show 0 days or 0 %).
                lot.remaining_shelf_life_days = False
                lot.remaining_shelf_life_percent = False
                continue
            expiry = fields.Date.context_today(self, lot.expiration_date)
            remaining = (expiry - today).days
            total = lot.product_id.expiration_time or (
                (expiry - fields.Date.context_today(self, lot.create_date)).days if lot.create_date else 0
            )
            lot.remaining_shelf_life_days = remaining
            lot.remaining_shelf_life_percent = (
                max(0.0, min(100.0, 100.0 * remaining / total)) if total > 0 else 0.0
            )

    @api.depends("quant_ids.quantity", "quant_ids.location_id")
    def _compute_stock_location_names(self):
        """One grouped read of the quants of all the lots: no query per lot."""
        names = defaultdict(list)
        lots = self.filtered("id")
        if lots:
            groups = self.env["stock.quant"]._read_group(
                [
                    ("lot_id", "in", lots.ids),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                ],
                groupby=["lot_id", "location_id"],
            )
            for lot, location in groups:
                names[lot.id].append(location.complete_name)
        for lot in self:
            lot.stock_location_names = ", ".join(sorted(names[lot.id])) or False

    # --- Lot-release policy ------------------------------------------------------------------
    # One policy decides what stock of a lot may do. ``_release_blocks`` lists what holds each lot
    # back (each module adds its own statuses through super()); the lot-release matrix
    # (stock.lot.release.rule) says which operations each status allows; ``_release_refusals``
    # answers "may these lots do this?". It is enforced at two points only: the reservation
    # (stock.quant._gather, non-strict) and the move line done step (stock.move.line); everything
    # else (forecasts, warnings, confirmations, the release itself) reads it.

    def _release_blocks(self, partner=None):
        """{lot id: [Block, ...]} of what holds these lots back; lots held by nothing are left
        out. ``partner``: the customer the stock would be delivered to, whose shelf-life contract
        counts too. Set-based: extensions read their records for all the lots at once."""
        blocks = defaultdict(list)
        now = fields.Datetime.now()
        # sudo: what holds a lot back holds it for every user, whatever they may read.
        lots = self.sudo().filtered("id")
        for lot in lots:
            if lot.is_quarantined:
                blocks[lot.id].append(
                    Block("quarantined", lot.quarantine_reason or self.env._("no reason given"))
                )
            if lot.expiration_date and lot.expiration_date <= now:
                blocks[lot.id].append(
                    Block(
                        "expired",
                        self.env._(
                            "expired on %(date)s",
                            date=fields.Date.to_string(fields.Date.context_today(self, lot.expiration_date)),
                        ),
                    )
                )
        required = partner and max(
            partner.min_shelf_life_days, partner.commercial_partner_id.min_shelf_life_days
        )
        if required:
            today = fields.Date.context_today(self)
            for lot in lots.filtered(lambda lot: lot.expiration_date and lot.expiration_date > now):
                remaining = (fields.Date.context_today(self, lot.expiration_date) - today).days
                if remaining < required:
                    blocks[lot.id].append(
                        Block(
                            "short_shelf_life",
                            self.env._(
                                "%(remaining)s days of shelf life left; %(customer)s requires at least"
                                " %(required)s days",
                                remaining=remaining,
                                customer=partner.commercial_partner_id.display_name,
                                required=required,
                            ),
                        )
                    )
        return blocks

    def _release_lock(self, share=False, touch=False):
        """Serialise what holds these lots back with the stock operations that read it.

        A decision (quarantine, acceptance) locks its lots for update before it moves their stock;
        a reservation locks the lots it may take for share; the done step of a move line
        (``touch``) writes the row of its lots (a write that changes nothing). So they never run
        side by side, and neither works on a stale view of the other:

        - a reservation that started before the decision waits for it and is then refused by
          PostgreSQL (the lot or its quant changed since it began: Odoo retries it and it sees
          the decision); a decision waits for the reservations under way and then moves their
          stock with them. Without it, a reservation of a quant the decision holds would skip it
          and leave a reservation on a quarantined lot in a new quant (Odoo's SKIP LOCKED);
        - a done step committed after a decision began (its snapshot) makes the decision's lock
          fail and retry, so the decision moves what the done step left, and never what it took
          (which would leave a negative quant); a done step that started before a decision
          committed is refused the same way and, retried, is refused by the policy.

        The done steps of one lot run one after the other for the same reason (each sees what
        the one before left): the second is retried by Odoo, as concurrent reservations of one
        quant already are."""
        if not self.ids:
            return
        ids = sorted(set(self.ids))
        if touch:
            self.env.cr.execute(
                "UPDATE stock_lot SET write_date = write_date WHERE id IN "
                "(SELECT id FROM stock_lot WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE)",
                [ids],
            )
        elif share:
            self.env.cr.execute("SELECT id FROM stock_lot WHERE id = ANY(%s) ORDER BY id FOR SHARE", [ids])
        else:
            self.env.cr.execute(
                "SELECT id FROM stock_lot WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", [ids]
            )

    def _release_prefetch(self):
        """Load into the cache what ``_release_blocks`` reads about these lots, for all of them at
        once. Extended by the modules with what their statuses read."""
        self.fetch(["is_quarantined", "quarantine_reason", "expiration_date"])

    def _release_refusals(self, operations, partner=None, reserve=False):
        """{lot id: [Block, ...]} of the blocks that refuse these lots every operation of
        ``operations`` (see OPERATIONS) for ``partner``, and with ``reserve`` the automatic
        reservation as well. Lots nothing refuses are left out."""
        operations = tuple(operations or ()) + (("reserve",) if reserve else ())
        return self._release_refused_by_matrix(self._release_blocks(partner), operations)

    @api.model
    def _release_refused_by_matrix(self, blocks_by_id, operations):
        """Of ``blocks_by_id`` ({id: [Block, ...]}), the blocks whose status does not allow every
        operation of ``operations``, by id; ids left with none are left out."""
        Rule = self.env["stock.lot.release.rule"]
        refusals = {}
        for record_id, blocks in blocks_by_id.items():
            refused = [
                block for block in blocks if not all(Rule._allowed(block.code, op) for op in operations)
            ]
            if refused:
                refusals[record_id] = refused
        return refusals

    @api.model
    def _release_product_blocks(self, products, partner=None):
        """{product id: [Block, ...]} of products held back as a whole, every lot of them (a recall
        of the whole product). None here: the modules add theirs."""
        return defaultdict(list)

    @api.model
    def _release_product_refusals(self, products, operations, partner=None):
        """{product id: [Block, ...]} of the product-wide blocks that refuse ``operations``."""
        return self._release_refused_by_matrix(
            self._release_product_blocks(products, partner), tuple(operations)
        )

    @api.model
    def _release_product_refusal_lines(self, refusals, operation, destination=None, partner=None):
        """One sentence per product held back as a whole (see _release_refusal_lines)."""
        # sudo: the product named in the refusal
        products = self.env["product.product"].sudo().browse(list(refusals))
        return self._release_sentences(
            [(product, block) for product in products for block in refusals[product.id]],
            self._release_operation_label(operation, destination, partner),
            whole=True,
        )

    @api.model
    def _release_sentences(self, pairs, action, whole=False):
        """One sentence per (lot or product, block): what, its status and why, what it may not do
        (``action``), and what to do."""
        rules = self.env["stock.lot.release.rule"]._by_code({block.code for _record, block in pairs})
        lines = []
        for record, block in pairs:
            rule = rules.get(block.code)
            values = {
                "status": rule.name if rule else block.code,
                "reason": block.reason,
                "action": action,
                "remedy": (rule.remedy or "") if rule else "",
            }
            if whole:
                line = self.env._(
                    "%(product)s is %(status)s as a whole (%(reason)s): it cannot %(action)s. %(remedy)s",
                    product=record.display_name,
                    **values,
                )
            else:
                line = self.env._(
                    "Lot %(lot)s of %(product)s is %(status)s (%(reason)s): it cannot %(action)s. %(remedy)s",
                    lot=record.name,
                    product=record.product_id.display_name,
                    **values,
                )
            lines.append(line.strip())
        return lines

    @api.model
    def _release_operation(self, location, location_dest):
        """The operation of the policy that a move from ``location`` to ``location_dest`` is."""
        operation = OPERATION_BY_USAGE.get(location_dest.usage)
        if operation:
            return operation
        return "quarantine" if location_dest.is_quarantine else "internal"

    @api.model
    def _release_operation_label(self, operation, destination=None, partner=None):
        labels = {
            "reserve": self.env._("be reserved"),
            "internal": self.env._("be moved to %(destination)s", destination=destination.display_name)
            if destination
            else self.env._("be moved within the warehouse"),
            "customer": self.env._("be delivered to %(customer)s", customer=partner.display_name)
            if partner
            else self.env._("be delivered to a customer"),
            "production": self.env._("be consumed in production"),
            "supplier": self.env._("be returned to the supplier"),
            "scrap": self.env._("be scrapped"),
            "quarantine": self.env._("be moved into quarantine"),
        }
        return labels[operation]

    def _release_refusal_lines(self, refusals, operation, destination=None, partner=None, action=None):
        """One sentence per refused lot: which lot, its status and why, what it may not do
        (``action``, else said from the operation), and what to do."""
        lots = self.sudo().browse(list(refusals))  # sudo: the lot named in the refusal
        return self._release_sentences(
            [(lot, block) for lot in lots for block in refusals[lot.id]],
            action or self._release_operation_label(operation, destination, partner),
        )

    @api.depends("is_quarantined", "quarantine_reason", "expiration_date")
    @api.depends_context("uid")
    def _compute_release(self):
        blocks = self._origin._release_blocks()
        rules = self.env["stock.lot.release.rule"]._by_code(
            {block.code for lot_blocks in blocks.values() for block in lot_blocks}
        )
        for lot in self:
            lot_blocks = blocks.get(lot._origin.id, [])
            lot.release_state = "blocked" if lot_blocks else "released"
            lot.release_rule_ids = [
                fields.Command.set([rules[block.code].id for block in lot_blocks if block.code in rules])
            ]
            lot.release_reasons = "\n".join(
                f"{rules[block.code].name if block.code in rules else block.code}: {block.reason}"
                for block in lot_blocks
            )

    @api.model
    def _release_blocked_domain(self):
        """A domain of the lots that something holds back (without a customer): extended by each
        module with its statuses."""
        return [
            "|",
            ("is_quarantined", "=", True),
            "&",
            ("expiration_date", "!=", False),
            ("expiration_date", "<=", fields.Datetime.now()),
        ]

    def _search_release_state(self, operator, value):
        if operator not in ("=", "!=") or value not in ("released", "blocked"):
            raise UserError(self.env._("Search the release status with = or != and Released or Blocked."))
        blocked = (operator == "=") == (value == "blocked")
        domain = self._release_blocked_domain()
        return domain if blocked else ["!", *domain]

    # --- Decision fields ------------------------------------------------------------------------
    @api.model
    def _release_decision_fields(self):
        """Fields that carry a release decision. Nobody writes them, administrators included: they
        change only through the actions that decide them (quarantine, release, change of expiry
        date), which write them through ``_write_release_fields``. Extended by the modules."""
        return {
            "is_quarantined",
            "quarantine_reason",
            "quarantine_event_ids",
            "expiration_date",
            "removal_date",
        }

    @api.model
    def _release_initial_fields(self):
        """Decision fields a new lot may be created with: its dates."""
        return {"expiration_date", "removal_date"}

    def _refuse_release_fields(self, names):
        labels = ", ".join(sorted(self._fields[name].get_description(self.env)["string"] for name in names))
        raise UserError(
            self.env._(
                "%(fields)s of a lot change only through their actions: Quarantine and Release from"
                " Quarantine on the lot, Change Expiry Date (quality managers, with a reason), or the"
                " recall and acceptance that decide them.",
                fields=labels,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            decision = self._release_decision_fields() - self._release_initial_fields()
            for vals in vals_list:
                touched = {name for name in decision & set(vals) if vals[name]}
                if touched:
                    self._refuse_release_fields(touched)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            touched = self._release_decision_fields() & set(vals)
            if touched:
                self._refuse_release_fields(touched)
        return super().write(vals)

    def _write_release_fields(self, vals):
        """Write decision fields: only the actions that take the decision call this."""
        # sudo: decision fields are refused to every user (see write); the caller took the decision.
        return self.sudo().write(vals)

    @api.model
    def _release_text(self, value, what):
        """``value`` as a stripped reason; refused with a clear message when it is not text."""
        if value is None or value is False:
            value = ""
        if not isinstance(value, str):
            raise UserError(
                self.env._("The %(what)s must be a text (got %(value)r).", what=what, value=value)
            )
        return value.strip()

    # --- Expiry date: a quality decision --------------------------------------------------------
    def action_change_expiration_date(self, expiration_date, reason):
        """Set the expiration date of these lots, with a reason (quality managers). Refused when it
        would release an expired lot: expired stock stays blocked whatever its label says."""
        if not (self.env.su or self.env.user.has_group("capa.group_quality_manager")):
            raise AccessError(
                self.env._(
                    "Only a quality manager can change the expiry date of %(lots)s.", lots=self._names()
                )
            )
        reason = self._release_text(reason, self.env._("reason"))
        if not reason:
            raise UserError(
                self.env._("Give the reason for changing the expiry date of %(lots)s.", lots=self._names())
            )
        try:
            new_date = fields.Datetime.to_datetime(expiration_date) if expiration_date else False
        except (TypeError, ValueError):
            raise UserError(self.env._("%(value)r is not a date and time.", value=expiration_date)) from None
        now = fields.Datetime.now()
        for lot in self:
            if lot.expiration_date and lot.expiration_date <= now and (not new_date or new_date > now):
                raise UserError(
                    self.env._(
                        "Lot %(lot)s expired on %(date)s: its expiry date cannot be moved later, which"
                        " would release expired stock. Keep it blocked, scrap it or return it to the"
                        " supplier.",
                        lot=lot.name,
                        date=fields.Date.context_today(self, lot.expiration_date),
                    )
                )
        old = {lot.id: lot.expiration_date for lot in self}
        self._write_release_fields({"expiration_date": new_date})
        for lot in self:
            lot.message_post(
                body=self.env._(
                    "Expiry date changed from %(old)s to %(new)s by %(user)s: %(reason)s",
                    old=old[lot.id] or "-",
                    new=new_date or "-",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # --- Daily scan ---------------------------------------------------------------------------
    def _written_in_sql(self, fname, old_values):
        """Hook: one of this module's SQL statements just wrote ``fname`` of these lots, whose
        values before are ``old_values`` ({lot id: value}). Nothing to do here; the audit trail
        (gsp_compliance) records the change."""
        return None

    @api.model
    def _cron_expiry_scan(self):
        """Daily: bring every lot's expiry state up to date in one statement, then quarantine the
        stock of expired lots where the company asks for it. Returns the lots whose state changed."""
        self.env["stock.lot"].flush_model(["expiration_date", "expiry_state", "company_id", "product_id"])
        self.env["product.template"].flush_model(["expiry_warning_days", "categ_id"])
        self.env["product.category"].flush_model(["expiry_warning_days"])
        self.env["res.company"].flush_model(["expiry_warning_days"])
        now = fields.Datetime.now()
        # The warning window falls back from the product to its category to the lot's company
        # (or the current company for lots without one). 0 means "not set".
        self.env.cr.execute(
            """
            WITH target AS (
                SELECT lot.id, lot.expiry_state AS old_state,
                       CASE
                           WHEN lot.expiration_date IS NULL THEN 'no_expiry'
                           WHEN lot.expiration_date <= %(now)s THEN 'expired'
                           WHEN lot.expiration_date <= %(now)s + make_interval(days => COALESCE(
                               NULLIF(tmpl.expiry_warning_days, 0),
                               NULLIF(categ.expiry_warning_days, 0),
                               company.expiry_warning_days, 0)) THEN 'near_expiry'
                           ELSE 'valid'
                       END AS state
                  FROM stock_lot lot
                  JOIN product_product product ON product.id = lot.product_id
                  JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
             LEFT JOIN product_category categ ON categ.id = tmpl.categ_id
             LEFT JOIN res_company company ON company.id = COALESCE(lot.company_id, %(company)s)
            )
            UPDATE stock_lot lot
               SET expiry_state = target.state
              FROM target
             WHERE target.id = lot.id
               AND lot.expiry_state IS DISTINCT FROM target.state
         RETURNING lot.id, target.old_state
            """,
            {"now": now, "company": self.env.company.id},
        )
        old_states = dict(self.env.cr.fetchall())
        changed = self.browse(sorted(old_states))
        changed.invalidate_recordset(["expiry_state"])
        changed._written_in_sql("expiry_state", old_states)
        _logger.info("Expiry scan: %d lots changed state", len(changed))
        self._send_near_expiry_digests()
        self._quarantine_expired_stock()
        return changed

    @api.model
    def _send_near_expiry_digests(self):
        """One digest per responsible user (the product's responsible, else the company's
        inventory managers) of the lots in stock that entered the near-expiry window, and one
        activity per product; each lot is reported once."""
        quants = self.env["stock.quant"].search(
            [
                ("lot_id.expiry_state", "=", "near_expiry"),
                ("lot_id.near_expiry_notified", "=", False),
                ("location_id.usage", "=", "internal"),
                ("quantity", ">", 0),
            ]
        )
        if not quants:
            return self.env["res.users"]
        managers = self.env.ref("stock.group_stock_manager").users.filtered(lambda u: not u.share)
        by_user = defaultdict(lambda: self.env["stock.quant"])
        for quant in quants:
            responsible = quant.product_id.responsible_id
            users = responsible or managers.filtered(lambda u, c=quant.company_id: c in u.company_ids)
            for user in users:
                by_user[user] |= quant
        activity_type = self.env.ref("batch_expiry.mail_activity_type_near_expiry")
        for user, user_quants in by_user.items():
            lines = self._digest_lines(user_quants)
            body = self.env["ir.qweb"]._render(
                "batch_expiry.near_expiry_digest",
                {"lines": lines, "user": user, "total": sum(line["value"] for line in lines)},
            )
            self.env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                subject=self.env._(
                    "%(count)s lots entered the near-expiry window", count=len(user_quants.lot_id)
                ),
                body=body,
            )
            self._schedule_near_expiry_activities(user, user_quants, activity_type)
        quants.lot_id.write({"near_expiry_notified": True})
        return self.env["res.users"].union(*by_user)

    @api.model
    def _digest_lines(self, quants):
        lines = []
        for lot, lot_quants in quants.grouped("lot_id").items():
            quantity = sum(lot_quants.mapped("quantity"))
            lines.append(
                {
                    "lot": lot,
                    "product": lot.product_id,
                    "expiration_date": fields.Date.context_today(self, lot.expiration_date),
                    "days": lot.remaining_shelf_life_days,
                    "quantity": quantity,
                    "uom": lot.product_id.uom_id,
                    "locations": ", ".join(lot_quants.location_id.mapped("complete_name")),
                    "value": quantity * lot.product_id.standard_price,
                    "currency": lot.company_id.currency_id or self.env.company.currency_id,
                }
            )
        return sorted(lines, key=lambda line: (line["expiration_date"], line["product"].display_name))

    @api.model
    def _schedule_near_expiry_activities(self, user, quants, activity_type):
        templates = quants.product_id.product_tmpl_id
        existing = self.env["mail.activity"].search(
            [
                ("res_model", "=", "product.template"),
                ("res_id", "in", templates.ids),
                ("activity_type_id", "=", activity_type.id),
                ("user_id", "=", user.id),
            ]
        )
        done = set(existing.mapped("res_id"))
        model_id = self.env["ir.model"]._get_id("product.template")
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": template.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "summary": self.env._(
                        "Near expiry: %(lots)s",
                        lots=", ".join(
                            quants.filtered(lambda q, t=template: q.product_tmpl_id == t).lot_id.mapped(
                                "name"
                            )
                        ),
                    ),
                    "date_deadline": fields.Date.context_today(self),
                }
                for template in templates
                if template.id not in done
            ]
        )

    @api.model
    def _quarantine_expired_stock(self):
        """Quarantine expired lots that still have stock outside quarantine, per company setting."""
        quants = self.env["stock.quant"].search(
            [
                ("lot_id.expiry_state", "=", "expired"),
                ("lot_id.is_quarantined", "=", False),
                ("location_id.usage", "=", "internal"),
                ("location_id.is_quarantine", "=", False),
                ("quantity", ">", 0),
                ("company_id.expiry_auto_quarantine", "=", True),
            ]
        )
        lots = quants.lot_id
        for company, company_lots in lots.grouped("company_id").items():
            company_lots.with_company(company)._quarantine(
                self.env._("Expired: quarantined by the daily expiry scan.")
            )
        return lots

    # --- Quarantine ---------------------------------------------------------------------------
    def _check_can_quarantine(self):
        if self.env.su:
            return
        if not (
            self.env.user.has_group("capa.group_quality_user")
            or self.env.user.has_group("stock.group_stock_user")
        ):
            raise AccessError(self.env._("Only quality or inventory users can quarantine lots."))

    def quarantine(self, reason):
        """Put the lots in quarantine (quality and inventory users): see ``_quarantine``. Returns
        the action opening the quarantine transfers made (True when there was no stock to move)."""
        reason = self._release_text(reason, self.env._("reason"))
        if not reason:
            raise UserError(self.env._("Give the reason for the quarantine of %(lots)s.", lots=self._names()))
        if not self:
            raise UserError(self.env._("Choose the lots to quarantine."))
        self._check_can_quarantine()
        return self._action_open_transfers(self._quarantine(reason))

    def _quarantine(self, reason):
        """Quarantine the lots: flag them (which blocks them everywhere, see the lot-release rules),
        unreserve them and move their stock in internal locations to the quarantine location of
        each warehouse through one validated "Quarantine" transfer per warehouse. For the system
        flows that decide a quarantine (recall, excursion, expiry scan) and for ``quarantine``.
        Works on many lots at once; returns the transfers."""
        lots = self.filtered(lambda lot: not lot.is_quarantined)
        if not lots:
            return self.env["stock.picking"]
        lots._release_lock()
        lots._write_release_fields({"is_quarantined": True, "quarantine_reason": reason})
        return lots._move_into_quarantine(reason)

    def release_quarantine(self, reason):
        """Quality managers only: lift the quarantine and move the stock back to the stock location
        of each warehouse (see ``_release_quarantine``). Returns the action opening the transfers."""
        self._check_can_release()
        reason = self._release_text(reason, self.env._("reason"))
        if not reason:
            raise UserError(self.env._("Give the reason for the release of %(lots)s.", lots=self._names()))
        return self._action_open_transfers(self._release_quarantine(reason))

    def _check_can_release(self):
        """Refuse, saying what is missing, when these lots cannot be released from quarantine now."""
        if not (self.env.su or self.env.user.has_group("capa.group_quality_manager")):
            raise AccessError(
                self.env._(
                    "Only a quality manager can release %(lots)s from quarantine. Ask your quality manager.",
                    lots=self._names(),
                )
            )
        if not self:
            raise UserError(self.env._("Choose the lots to release."))
        self._check_quarantined()
        self._check_can_leave_quarantine(ignore=("quarantined",))

    @api.model
    def _action_open_transfers(self, pickings):
        """What the quarantine and release buttons (and RPC callers) get back: the transfers made,
        to open, or True when none was needed."""
        if not pickings:
            return True
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quarantine Transfers"),
            "res_model": "stock.picking",
            "view_mode": "list,form",
            "domain": [("id", "in", pickings.ids)],
        }

    def _check_quarantined(self):
        not_quarantined = self.filtered(lambda lot: not lot.is_quarantined)
        if not_quarantined:
            raise UserError(
                self.env._(
                    "%(lots)s %(verb)s not in quarantine: there is nothing to release.",
                    lots=not_quarantined._names(),
                    verb=self.env._("is") if len(not_quarantined) == 1 else self.env._("are"),
                )
            )

    def _release_quarantine(self, reason):
        """Lift the quarantine flag and move the stock back to stock: refused while something else
        holds the lots back (a recall in progress, a pending acceptance...), named in the message."""
        self._check_quarantined()
        self._release_lock()
        self._check_can_leave_quarantine(ignore=("quarantined",))
        self._write_release_fields({"is_quarantined": False, "quarantine_reason": False})
        return self._move_out_of_quarantine(reason)

    def _check_can_leave_quarantine(self, ignore=()):
        """Refuse, naming why, when the stock of these lots may not go back to stock."""
        refusals = {
            lot_id: [block for block in blocks if block.code not in ignore]
            for lot_id, blocks in self._release_refusals(["internal"]).items()
        }
        refusals = {lot_id: blocks for lot_id, blocks in refusals.items() if blocks}
        if refusals:
            raise UserError(
                "\n".join(
                    [
                        self.env._("The stock of these lots cannot go back to stock:"),
                        *self._release_refusal_lines(
                            refusals, "internal", action=self.env._("be moved back to stock")
                        ),
                    ]
                )
            )

    def _names(self):
        return ", ".join(self.mapped("display_name"))

    def _move_into_quarantine(self, reason):
        """Move the stock these lots have in internal locations outside quarantine to the
        quarantine location of each warehouse, after taking them out of every reservation of that
        stock (the moves then reserve other lots), and record it in their history. Call it once
        the lots are blocked (flag or status), so that the moves do not reserve them again."""
        self._release_lock()
        Quant = self.env["stock.quant"].sudo()  # sudo: the system moves all the stock of the lot
        quants = Quant.search(
            [
                ("lot_id", "in", self.ids),
                ("location_id.usage", "=", "internal"),
                ("location_id.is_quarantine", "=", False),
            ]
        )
        self._unreserve_stock(quants)
        pickings, picking_by_lot, moved = self._move_quants(quants, to_quarantine=True, reason=reason)
        self._log_quarantine_events("quarantine", reason, moved, picking_by_lot)
        return pickings

    def _move_out_of_quarantine(self, reason):
        """Move the stock these lots have in quarantine back to the stock location of each
        warehouse, and record it in their history."""
        Quant = self.env["stock.quant"].sudo()  # sudo: the system moves all the stock of the lot
        quants = Quant.search([("lot_id", "in", self.ids), ("location_id.is_quarantine", "=", True)])
        self._unreserve_stock(quants)
        pickings, picking_by_lot, moved = self._move_quants(quants, to_quarantine=False, reason=reason)
        self._log_quarantine_events("release", reason, moved, picking_by_lot)
        return pickings

    def _unreserve_stock(self, quants):
        """Take ``quants`` out of every open reservation (move lines not done that take these lots
        from those locations), then let the moves reserve again what the policy allows."""
        if not quants:
            return
        # sudo: the reservations of other users and companies of the stock that moves.
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", quants.lot_id.ids),
                    ("location_id", "in", quants.location_id.ids),
                    ("state", "not in", ("done", "cancel")),
                ]
            )
        )
        moves = lines.move_id
        if lines:
            lines.unlink()
            moves.filtered(lambda move: move.state not in ("draft", "done", "cancel"))._action_assign()

    def _move_quants(self, quants, to_quarantine, reason):
        """One validated Quarantine transfer per warehouse for ``quants``.

        Returns the transfers, the transfers of each lot (by lot id) and the quantity moved of
        each lot (by lot id)."""
        pickings = self.env["stock.picking"]
        picking_by_lot = defaultdict(lambda: self.env["stock.picking"])
        moved = defaultdict(float)
        by_warehouse = defaultdict(list)
        # The net quantity of each product, lot, location, package and owner: Odoo may hold it in
        # several quants (one negative after concurrent moves, until its merge), all moved as one.
        stock = defaultdict(float)
        for quant in quants:
            key = (quant.product_id, quant.lot_id, quant.location_id, quant.package_id, quant.owner_id)
            stock[key] += quant.quantity
        for key, quantity in stock.items():
            if float_compare(quantity, 0, precision_rounding=key[0].uom_id.rounding) > 0:
                by_warehouse[key[2].warehouse_id].append((key, quantity))
        for warehouse, items in by_warehouse.items():
            if not warehouse:
                _logger.warning(
                    "Quarantine: %d stocks are in no warehouse and stay where they are", len(items)
                )
                continue
            warehouse._create_quarantine_setup()
            destination = warehouse.quarantine_location_id if to_quarantine else warehouse.lot_stock_id
            source = warehouse.lot_stock_id if to_quarantine else warehouse.quarantine_location_id
            moves = []
            for (product, lot, location, package, owner), quantity in items:
                moves.append(
                    fields.Command.create(
                        {
                            "name": reason[:200],
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": quantity,
                            "location_id": location.id,
                            "location_dest_id": destination.id,
                            "move_line_ids": [
                                fields.Command.create(
                                    {
                                        "product_id": product.id,
                                        "product_uom_id": product.uom_id.id,
                                        "lot_id": lot.id,
                                        "package_id": package.id,
                                        "result_package_id": package.id,
                                        "owner_id": owner.id,
                                        "location_id": location.id,
                                        "location_dest_id": destination.id,
                                        "quantity": quantity,
                                        "picked": True,
                                    }
                                )
                            ],
                        }
                    )
                )
            if not moves:
                continue
            # sudo: the system moves the stock, whoever took the decision (an acceptor, a cron).
            picking = (
                self.env["stock.picking"]
                .sudo()
                .create(
                    {
                        "picking_type_id": warehouse.quarantine_type_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "origin": reason[:200],
                        "company_id": warehouse.company_id.id,
                        "move_ids": moves,
                    }
                )
            )
            for (_product, lot, _location, _package, _owner), quantity in items:
                moved[lot.id] += quantity
                picking_by_lot[lot.id] |= picking
            picking.move_ids.write({"picked": True})
            picking._action_done()
            pickings |= picking.sudo(False)
        return pickings, picking_by_lot, moved

    def _log_quarantine_events(self, action, reason, moved, picking_by_lot):
        # sudo: the history is written by the system only (nobody may create entries).
        self.env["stock.lot.quarantine.event"].sudo().create(
            [
                {
                    "lot_id": lot.id,
                    "action": action,
                    "reason": reason,
                    "quantity": moved.get(lot.id, 0.0),
                    "user_id": self.env.uid,
                    "picking_ids": [
                        fields.Command.set(picking_by_lot.get(lot.id, self.env["stock.picking"]).ids)
                    ],
                }
                for lot in self
            ]
        )

    # --- Buttons ------------------------------------------------------------------------------
    def action_open_quarantine_wizard(self):
        return self._open_quarantine_wizard("quarantine")

    def action_open_release_wizard(self):
        return self._open_quarantine_wizard("release")

    def action_open_expiry_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Expiry Date"),
            "res_model": "stock.lot.expiry.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_lot_id": self.id,
                "default_expiration_date": fields.Datetime.to_string(self.expiration_date),
            },
        }

    def _open_quarantine_wizard(self, mode):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quarantine Lots") if mode == "quarantine" else self.env._("Release Lots"),
            "res_model": "stock.lot.quarantine.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lot_ids": self.ids, "default_mode": mode},
        }
