# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_is_zero

_logger = logging.getLogger(__name__)

EXPIRY_STATES = [
    ("no_expiry", "No Expiry"),
    ("valid", "Valid"),
    ("near_expiry", "Near Expiry"),
    ("expired", "Expired"),
]


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
    is_quarantined = fields.Boolean(
        string="Quarantined", readonly=True, copy=False, index=True, tracking=True
    )
    quarantine_reason = fields.Text(readonly=True, copy=False, tracking=True)
    quarantine_event_ids = fields.One2many(
        "stock.lot.quarantine.event", "lot_id", string="Quarantine History"
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
            warning = lot.product_id.product_tmpl_id._get_expiry_warning_days(lot.company_id)
            lot.expiry_state = self._expiry_state_of(lot.expiration_date, warning, now)

    @api.depends("expiration_date", "product_id.expiration_time", "create_date")
    def _compute_remaining_shelf_life(self):
        today = fields.Date.context_today(self)
        for lot in self:
            if not lot.expiration_date:
                lot.remaining_shelf_life_days = 0
                lot.remaining_shelf_life_percent = 0.0
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

    # --- Daily scan ---------------------------------------------------------------------------
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
                SELECT lot.id,
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
         RETURNING lot.id
            """,
            {"now": now, "company": self.env.company.id},
        )
        changed = self.browse([row[0] for row in self.env.cr.fetchall()])
        changed.invalidate_recordset(["expiry_state"])
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
            company_lots.with_company(company).with_context(batch_expiry_system=True).quarantine(
                self.env._("Expired: quarantined by the daily expiry scan.")
            )
        return lots

    # --- Quarantine ---------------------------------------------------------------------------
    def _check_can_quarantine(self):
        if self.env.context.get("batch_expiry_system") or self.env.su:
            return
        if not (
            self.env.user.has_group("capa.group_quality_user")
            or self.env.user.has_group("stock.group_stock_user")
        ):
            raise AccessError(self.env._("Only quality or inventory users can quarantine lots."))

    def quarantine(self, reason):
        """Put the lots in quarantine: unreserve them, move their stock in internal locations to the
        quarantine location of each warehouse through one validated "Quarantine" transfer per
        warehouse, and block them from reservations and deliveries. Works on many lots at once."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for the quarantine of %(lots)s.", lots=self._names()))
        self._check_can_quarantine()
        lots = self.filtered(lambda lot: not lot.is_quarantined)
        if not lots:
            return self.env["stock.picking"]
        lots.write({"is_quarantined": True, "quarantine_reason": reason})
        lots._unreserve_quarantined()
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", lots.ids),
                ("location_id.usage", "=", "internal"),
                ("location_id.is_quarantine", "=", False),
                ("quantity", ">", 0),
            ]
        )
        pickings, picking_by_lot, moved = lots._move_quants(quants, to_quarantine=True, reason=reason)
        lots._log_quarantine_events("quarantine", reason, moved, picking_by_lot)
        return pickings

    def release_quarantine(self, reason):
        """Quality managers only: lift the quarantine and move the stock back to the stock location
        of each warehouse."""
        reason = (reason or "").strip()
        if not (self.env.su or self.env.user.has_group("capa.group_quality_manager")):
            raise AccessError(
                self.env._(
                    "Only a quality manager can release %(lots)s from quarantine. Ask your quality manager.",
                    lots=self._names(),
                )
            )
        if not reason:
            raise UserError(self.env._("Give the reason for the release of %(lots)s.", lots=self._names()))
        not_quarantined = self.filtered(lambda lot: not lot.is_quarantined)
        if not_quarantined:
            raise UserError(
                self.env._(
                    "%(lots)s %(verb)s not in quarantine: there is nothing to release.",
                    lots=not_quarantined._names(),
                    verb=self.env._("is") if len(not_quarantined) == 1 else self.env._("are"),
                )
            )
        quants = self.env["stock.quant"].search(
            [("lot_id", "in", self.ids), ("location_id.is_quarantine", "=", True), ("quantity", ">", 0)]
        )
        self.write({"is_quarantined": False, "quarantine_reason": False})
        pickings, picking_by_lot, moved = self._move_quants(quants, to_quarantine=False, reason=reason)
        self._log_quarantine_events("release", reason, moved, picking_by_lot)
        return pickings

    def _names(self):
        return ", ".join(self.mapped("display_name"))

    def _unreserve_quarantined(self):
        """Take the lots out of every reservation, then let the moves reserve other lots."""
        lines = self.env["stock.move.line"].search(
            [
                ("lot_id", "in", self.ids),
                ("state", "not in", ("done", "cancel")),
                ("move_id.picking_type_id.code", "!=", False),
            ]
        )
        lines = lines.filtered(lambda line: not line.location_dest_id.is_quarantine)
        moves = lines.move_id
        if moves:
            lines.unlink()
            moves._action_assign()

    def _move_quants(self, quants, to_quarantine, reason):
        """One validated Quarantine transfer per warehouse for ``quants``.

        Returns the transfers, the transfers of each lot (by lot id) and the quantity moved of
        each lot (by lot id)."""
        pickings = self.env["stock.picking"]
        picking_by_lot = defaultdict(lambda: self.env["stock.picking"])
        moved = defaultdict(float)
        by_warehouse = defaultdict(lambda: self.env["stock.quant"])
        for quant in quants:
            by_warehouse[quant.location_id.warehouse_id] |= quant
        for warehouse, wh_quants in by_warehouse.items():
            if not warehouse:
                _logger.warning(
                    "Quarantine: %d quants are in no warehouse and stay where they are", len(wh_quants)
                )
                continue
            warehouse._create_quarantine_setup()
            destination = warehouse.quarantine_location_id if to_quarantine else warehouse.lot_stock_id
            source = warehouse.lot_stock_id if to_quarantine else warehouse.quarantine_location_id
            moves = []
            for quant in wh_quants:
                quantity = quant.quantity
                if float_is_zero(quantity, precision_rounding=quant.product_uom_id.rounding):
                    continue
                moves.append(
                    fields.Command.create(
                        {
                            "name": reason[:200],
                            "product_id": quant.product_id.id,
                            "product_uom": quant.product_uom_id.id,
                            "product_uom_qty": quantity,
                            "location_id": quant.location_id.id,
                            "location_dest_id": destination.id,
                            "move_line_ids": [
                                fields.Command.create(
                                    {
                                        "product_id": quant.product_id.id,
                                        "product_uom_id": quant.product_uom_id.id,
                                        "lot_id": quant.lot_id.id,
                                        "package_id": quant.package_id.id,
                                        "result_package_id": quant.package_id.id,
                                        "owner_id": quant.owner_id.id,
                                        "location_id": quant.location_id.id,
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
            picking = (
                self.env["stock.picking"]
                .with_context(batch_expiry_quarantine_transfer=True)
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
            for quant in wh_quants:
                moved[quant.lot_id.id] += quant.quantity
                picking_by_lot[quant.lot_id.id] |= picking
            picking.move_ids.write({"picked": True})
            picking.with_context(
                batch_expiry_quarantine_transfer=True, skip_backorder=True, skip_sms=True
            )._action_done()
            pickings |= picking
        return pickings, picking_by_lot, moved

    def _log_quarantine_events(self, action, reason, moved, picking_by_lot):
        self.env["stock.lot.quarantine.event"].create(
            [
                {
                    "lot_id": lot.id,
                    "action": action,
                    "reason": reason,
                    "quantity": moved.get(lot.id, 0.0),
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

    def _open_quarantine_wizard(self, mode):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quarantine Lots") if mode == "quarantine" else self.env._("Release Lots"),
            "res_model": "stock.lot.quarantine.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lot_ids": self.ids, "default_mode": mode},
        }
