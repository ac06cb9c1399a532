# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

CHECK_RESULTS = [("pass", "Pass"), ("fail", "Fail")]
CHECK_FIELDS = ("check_packaging", "check_labelling", "check_documents")


class GspAcceptance(models.Model):
    """G5: the acceptance of one received line of a regulated product. The received lot waits in
    quarantine until an acceptor (not the buyer) records the checks and signs a conclusion:
    accepted releases the lot to stock, rejected keeps it in quarantine for a return to the vendor.

    Acceptances are created by the receipt's validation and are regulated records from then on:
    they are all kept for the retention period (archive only), pending ones included, since they
    are the record of why a lot sits in quarantine."""

    _name = "gsp.acceptance"
    _description = "Receipt Acceptance"
    _inherit = ["mail.thread", "mail.activity.mixin", "gsp.retention.mixin", "quality.decision.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Receipt", required=True, readonly=True, index=True, check_company=True
    )
    move_line_id = fields.Many2one("stock.move.line", string="Received Line", readonly=True, index=True)
    partner_id = fields.Many2one(related="picking_id.partner_id", string="Supplier", store=True, index=True)
    purchase_id = fields.Many2one(related="picking_id.purchase_id", string="Purchase Order")
    product_id = fields.Many2one("product.product", required=True, readonly=True, index=True)
    lot_id = fields.Many2one("stock.lot", readonly=True, index=True)
    expiration_date = fields.Datetime(related="lot_id.expiration_date", string="Expiration Date")
    lot_release_state = fields.Selection(related="lot_id.release_state", string="Lot Status")
    lot_release_reasons = fields.Text(related="lot_id.release_reasons", string="Lot Held Because")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    qty_received = fields.Float(string="Received Quantity", digits="Product Unit of Measure", readonly=True)
    qty_sampled = fields.Float(string="Sampled Quantity", digits="Product Unit of Measure", tracking=True)
    check_packaging = fields.Selection(
        CHECK_RESULTS, string="Packaging", tracking=True, help="Outer and inner packaging intact and clean."
    )
    check_labelling = fields.Selection(
        CHECK_RESULTS,
        string="Labelling",
        tracking=True,
        help="Labels and leaflets match the registration: name, strength, lot, expiry, holder.",
    )
    check_documents = fields.Selection(
        CHECK_RESULTS,
        string="Documents",
        tracking=True,
        help="Delivery note, certificate of analysis and invoice match the goods and the order.",
    )
    temperature_controlled = fields.Boolean(related="product_id.has_storage_range")
    storage_temp_min = fields.Float(related="product_id.storage_temp_min")
    storage_temp_max = fields.Float(related="product_id.storage_temp_max")
    arrival_temperature = fields.Float(string="Arrival Temperature (°C)", tracking=True)
    temperature_in_range = fields.Boolean(compute="_compute_temperature_in_range")
    conclusion = fields.Selection([("accepted", "Accepted"), ("rejected", "Rejected")], tracking=True)
    note = fields.Text()
    state = fields.Selection(
        [("pending", "Pending"), ("concluded", "Concluded")],
        default="pending",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    acceptor_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_concluded = fields.Datetime(string="Concluded On", readonly=True, copy=False)
    signature_id = fields.Many2one("gsp.signature", readonly=True, copy=False)
    signature_reason = fields.Text(related="signature_id.reason", string="Signature Reason")
    return_picking_id = fields.Many2one(
        "stock.picking", string="Return to Vendor", readonly=True, copy=False, check_company=True
    )

    _sql_constraints = [
        ("qty_sampled_positive", "CHECK(qty_sampled >= 0)", "The sampled quantity cannot be negative."),
    ]

    @api.depends("arrival_temperature", "product_id.has_storage_range", "product_id.storage_temp_min")
    def _compute_temperature_in_range(self):
        for acceptance in self:
            product = acceptance.product_id
            acceptance.temperature_in_range = not product.has_storage_range or (
                product.storage_temp_min <= acceptance.arrival_temperature <= product.storage_temp_max
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("gsp.acceptance") or "/"
        return super().create(vals_list)

    @api.constrains("qty_sampled", "qty_received")
    def _check_qty_sampled(self):
        for acceptance in self:
            rounding = acceptance.uom_id.rounding or 0.01
            if (
                float_compare(acceptance.qty_sampled, acceptance.qty_received, precision_rounding=rounding)
                > 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(acceptance)s: the sampled quantity (%(sampled)s) is above the received quantity"
                        " (%(received)s). Enter the number of units actually taken as samples.",
                        acceptance=acceptance.name,
                        sampled=acceptance.qty_sampled,
                        received=acceptance.qty_received,
                    )
                )

    def write(self, vals):
        locked = set(vals) & {
            "qty_sampled",
            "check_packaging",
            "check_labelling",
            "check_documents",
            "arrival_temperature",
            "conclusion",
        }
        if locked:
            concluded = self.filtered(lambda a: a.state == "concluded")
            if concluded:
                raise UserError(
                    self.env._(
                        "%(acceptances)s %(verb)s concluded and signed: the checks and the conclusion can no"
                        " longer be changed. Add a note instead.",
                        acceptances=", ".join(concluded.mapped("name")),
                        verb=self.env._("is") if len(concluded) == 1 else self.env._("are"),
                    )
                )
        return super().write(vals)

    # --- Creation from receipts ------------------------------------------------------------------
    @api.model
    def _create_from_receipt_lines(self, move_lines):
        """One pending acceptance per received line; its lot goes into quarantine and the acceptors
        get an activity. Called by the receipt's validation, for any user who receives goods."""
        if not move_lines:
            return self
        # sudo: receiving users (inventory users) cannot create acceptances; the receipt does.
        acceptances = self.sudo().create(
            [
                {
                    "picking_id": line.picking_id.id,
                    "move_line_id": line.id,
                    "product_id": line.product_id.id,
                    "lot_id": line.lot_id.id,
                    "qty_received": line.quantity,
                    "company_id": line.picking_id.company_id.id,
                }
                for line in move_lines
            ]
        )
        for company, company_acceptances in acceptances.grouped("company_id").items():
            company_acceptances.with_company(company)._quarantine_received_lots()
        acceptances._schedule_acceptor_activities()
        return acceptances.sudo(False)

    def _quarantine_received_lots(self):
        """Move the received lots into quarantine: a pending acceptance holds its lot back (see the
        lot-release rules, Awaiting Acceptance) until it is concluded. The system does it, whoever
        received the goods."""
        lots = self.lot_id
        if not lots:
            return
        reason = self.env._(
            "Awaiting receipt acceptance: %(acceptances)s (%(receipt)s).",
            acceptances=", ".join(self.mapped("name")),
            receipt=", ".join(self.picking_id.mapped("name")),
        )
        lots._move_into_quarantine(reason)

    @api.model
    def _blocking_acceptances(self, lots=None):
        """The acceptances that hold their lot back: pending ones, and rejected ones whose stock
        has not gone back to the vendor. Archived ones too: archiving decides nothing.

        The reservation asks for every move: the candidates are read in SQL from this table alone
        (an ORM search through the return transfer would flush and recompute the state of every
        transfer being reserved), and only rejected ones look at their return."""
        if lots is not None and not lots:
            return self.browse()
        self.flush_model(["lot_id", "state", "conclusion", "return_picking_id"])
        query = """SELECT id FROM gsp_acceptance
                    WHERE lot_id IS NOT NULL AND (state = 'pending' OR conclusion = 'rejected')"""
        params = []
        if lots is not None:
            query += " AND lot_id = ANY(%s)"
            params.append(list(lots.ids))
        self.env.cr.execute(query + " ORDER BY id", params)
        # sudo: what holds a lot back holds it for every user, whatever they may read.
        candidates = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        return candidates.filtered(
            lambda acceptance: acceptance.state == "pending" or acceptance.return_picking_id.state != "done"
        )

    def _acceptors(self):
        group = self.env.ref("gsp_compliance.group_gsp_acceptor")
        return group.users.filtered(
            lambda user: (
                user.active
                and not user.share
                and not user._is_superuser()
                and self.company_id <= user.company_ids
            )
        )

    def _schedule_acceptor_activities(self):
        for acceptance in self:
            for user in acceptance._acceptors():
                acceptance.sudo().activity_schedule(  # sudo: scheduled for the acceptors by the receipt
                    act_type_xmlid="gsp_compliance.mail_activity_type_gsp_acceptance",
                    summary=self.env._(
                        "Accept %(product)s lot %(lot)s from %(receipt)s",
                        product=acceptance.product_id.display_name,
                        lot=acceptance.lot_id.name or "-",
                        receipt=acceptance.picking_id.name,
                    ),
                    user_id=user.id,
                )

    # --- Conclusion ---------------------------------------------------------------------------------
    def _gsp_check_decision(self, decision, meaning):
        result = super()._gsp_check_decision(decision, meaning)
        # The signature means the conclusion it signs.
        if decision.method == "action_conclude" and set(self.mapped("conclusion")) != {meaning}:
            raise UserError(
                self.env._("The signature must mean the conclusion given: sign again from the record.")
            )
        return result

    def _check_can_conclude(self):
        user = self.env.user
        if not user.has_group("gsp_compliance.group_gsp_acceptor"):
            raise AccessError(
                self.env._(
                    "Only a GSP acceptor can conclude %(acceptances)s. Ask an acceptor of your quality team.",
                    acceptances=", ".join(self.mapped("name")),
                )
            )
        if len(set(self.mapped("conclusion"))) > 1:
            raise UserError(self.env._("Conclude accepted and rejected receipts separately: each is signed."))
        for acceptance in self:
            if acceptance.state != "pending":
                raise UserError(
                    self.env._("%(acceptance)s is already concluded.", acceptance=acceptance.name)
                )
            buyers = acceptance._buyers()
            if user in buyers:
                raise UserError(
                    self.env._(
                        "%(acceptance)s: you bought these goods (purchase order %(order)s), so you cannot"
                        " accept them too. Another acceptor must conclude it.",
                        acceptance=acceptance.name,
                        order=acceptance.purchase_id.name,
                    )
                )
            missing = [
                acceptance._fields[name].get_description(self.env)["string"]
                for name in (*CHECK_FIELDS, "conclusion")
                if not acceptance[name]
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "%(acceptance)s: fill in %(fields)s before concluding.",
                        acceptance=acceptance.name,
                        fields=", ".join(missing),
                    )
                )
            acceptance._check_qty_sampled()
            if acceptance.conclusion == "accepted":
                failed = [
                    acceptance._fields[name].get_description(self.env)["string"]
                    for name in CHECK_FIELDS
                    if acceptance[name] == "fail"
                ]
                if failed:
                    raise UserError(
                        self.env._(
                            "%(acceptance)s cannot be accepted: the %(checks)s check failed. Reject it.",
                            acceptance=acceptance.name,
                            checks=", ".join(failed),
                        )
                    )
                if not acceptance.temperature_in_range:
                    raise UserError(
                        self.env._(
                            "%(acceptance)s cannot be accepted: it arrived at %(temperature)s °C, outside the"
                            " storage range of %(product)s (%(min)s to %(max)s °C). Reject it.",
                            acceptance=acceptance.name,
                            temperature=acceptance.arrival_temperature,
                            product=acceptance.product_id.display_name,
                            min=acceptance.storage_temp_min,
                            max=acceptance.storage_temp_max,
                        )
                    )

    def _buyers(self):
        """The users who bought the goods: who confirmed the purchase order and its buyer. They do
        not accept their own purchases (segregation of duties)."""
        self.ensure_one()
        order = self.picking_id.purchase_id
        return order.gsp_confirm_user_id | order.user_id

    def _decision_fields(self):
        return super()._decision_fields() | {"state", "acceptor_id", "date_concluded", "signature_id"}

    def action_conclude(self):
        """Conclude the acceptances with a signature whose meaning is the conclusion: accepted lots
        are released from quarantine to stock, rejected ones stay there until returned."""
        self._check_can_conclude()
        signatures = self._gsp_signatures(self[:1].conclusion, "action_conclude")
        now = fields.Datetime.now()
        for acceptance in self:
            acceptance._write_decision(
                {
                    "state": "concluded",
                    "acceptor_id": self.env.uid,
                    "date_concluded": now,
                    "signature_id": signatures.filtered(lambda s, a=acceptance: s.res_id == a.id)[:1].id,
                }
            )
        self._release_accepted_lots()
        self.sudo().activity_unlink(
            ["gsp_compliance.mail_activity_type_gsp_acceptance"]
        )  # sudo: acceptors' activities
        for acceptance in self:
            acceptance.message_post(
                body=self.env._(
                    "Concluded: %(conclusion)s by %(user)s.",
                    conclusion=dict(self._fields["conclusion"]._description_selection(self.env))[
                        acceptance.conclusion
                    ],
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _release_accepted_lots(self):
        """Move the stock of accepted lots back to stock, unless something still holds the lot back:
        another acceptance pending or rejected and not returned, a quarantine, a recall."""
        accepted = self.filtered(lambda a: a.conclusion == "accepted" and a.lot_id)
        lots = accepted.lot_id
        if not lots:
            return
        refusals = lots._release_refusals(["internal"])
        for lot in lots.filtered(lambda lot: lot.id not in refusals):
            lot_acceptances = accepted.filtered(lambda a, lot=lot: a.lot_id == lot)
            lot._move_out_of_quarantine(
                self.env._("Accepted: %(acceptances)s", acceptances=", ".join(lot_acceptances.mapped("name")))
            )
        for acceptance in accepted.filtered(lambda a: a.lot_id.id in refusals):
            acceptance.message_post(
                body=self.env._(
                    "Lot %(lot)s stays in quarantine: %(why)s",
                    lot=acceptance.lot_id.name,
                    why=" ".join(
                        acceptance.lot_id._release_refusal_lines(
                            {acceptance.lot_id.id: refusals[acceptance.lot_id.id]}, "internal"
                        )
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )

    # --- Return to vendor ---------------------------------------------------------------------------
    def action_return_to_vendor(self):
        """Create the return of the rejected quantity to the supplier, from the quarantine location,
        reserved on the rejected lot and left ready: the warehouse validates it when the goods leave."""
        self.ensure_one()
        if self.state != "concluded" or self.conclusion != "rejected":
            raise UserError(
                self.env._(
                    "Only a rejected acceptance is returned to the vendor (%(acceptance)s).",
                    acceptance=self.name,
                )
            )
        if self.return_picking_id and self.return_picking_id.state != "cancel":
            return self.action_view_return()
        supplier = self.partner_id.commercial_partner_id
        if not supplier:
            raise UserError(
                self.env._(
                    "%(receipt)s has no supplier to return the goods to.", receipt=self.picking_id.name
                )
            )
        warehouse = self.picking_id.picking_type_id.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        warehouse._create_quarantine_setup()
        source = warehouse.quarantine_location_id
        quantity = self._returnable_quantity(source)
        if float_is_zero(quantity, precision_rounding=self.uom_id.rounding):
            raise UserError(
                self.env._(
                    "Nothing of %(product)s lot %(lot)s is left in %(location)s to return.",
                    product=self.product_id.display_name,
                    lot=self.lot_id.name or "-",
                    location=source.display_name,
                )
            )
        destination = supplier.property_stock_supplier
        origin = self.env._("%(acceptance)s: rejected, return to vendor", acceptance=self.name)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": supplier.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "origin": origin,
                "company_id": self.company_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": origin,
                            "product_id": self.product_id.id,
                            "product_uom": self.uom_id.id,
                            "product_uom_qty": quantity,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        # A rejected lot is not reserved automatically (see the lot-release rules): the return
        # names it; the rules let it go back to the vendor.
        picking.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": picking.move_ids.id,
                "picking_id": picking.id,
                "product_id": self.product_id.id,
                "product_uom_id": self.uom_id.id,
                "lot_id": self.lot_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "quantity": quantity,
            }
        )
        self.return_picking_id = picking
        self.message_post(
            body=self.env._("Return to vendor %(picking)s created.", picking=picking.name),
            subtype_xmlid="mail.mt_note",
        )
        return self.action_view_return()

    def _returnable_quantity(self, location):
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product_id.id),
                ("lot_id", "=", self.lot_id.id),
                ("location_id", "child_of", location.id),
            ]
        )
        available = sum(quants.mapped("quantity")) - sum(quants.mapped("reserved_quantity"))
        return max(0.0, min(self.qty_received, available))

    def action_view_return(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": self.return_picking_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_receipt(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": self.picking_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
