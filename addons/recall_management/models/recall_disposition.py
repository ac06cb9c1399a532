# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

DISPOSITION_ACTIONS = [
    ("destroy", "Destroy"),
    ("return_to_vendor", "Return to Vendor"),
    ("rework", "Rework"),
    ("release", "Release"),
]


class RecallDisposition(models.Model):
    """What happens to recovered and quarantined stock of a recalled lot, as a real stock operation:
    a scrap (destroy), a return to the lot's supplier, a transfer to the rework area, or a
    release back to stock decided by a quality manager."""

    _name = "recall.disposition"
    _description = "Recall Disposition"
    _inherit = ["mail.thread", "quality.decision.mixin"]
    _order = "id desc"
    _check_company_auto = True

    event_id = fields.Many2one("recall.event", string="Recall", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="event_id.company_id", store=True, index=True)
    lot_id = fields.Many2one(
        "stock.lot", required=True, check_company=True, domain="[('id', 'in', allowed_lot_ids)]"
    )
    allowed_lot_ids = fields.Many2many(related="event_id.lot_ids", string="Recalled Lots")
    product_id = fields.Many2one(related="lot_id.product_id", store=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(required=True, digits="Product Unit of Measure", tracking=True)
    location_id = fields.Many2one(
        "stock.location",
        string="From Location",
        required=True,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        tracking=True,
    )
    action = fields.Selection(DISPOSITION_ACTIONS, required=True, tracking=True)
    reason = fields.Text(tracking=True)
    supplier_id = fields.Many2one(
        "res.partner",
        compute="_compute_supplier_id",
        store=True,
        readonly=False,
        help="Return to vendor: the supplier the lot came from, found by the trace.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True, copy=False)
    scrap_id = fields.Many2one("stock.scrap", readonly=True, copy=False)
    date_done = fields.Datetime(readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    @api.depends("lot_id", "event_id.trace_line_ids")
    def _compute_supplier_id(self):
        for disposition in self:
            receipts = disposition.event_id.trace_line_ids.filtered(
                lambda t, d=disposition: (
                    t.lot_id == d.lot_id and t.kind == "supplier_receipt" and t.partner_id
                )
            )
            disposition.supplier_id = receipts[:1].partner_id

    @api.constrains("quantity")
    def _check_quantity(self):
        for disposition in self:
            if float_compare(disposition.quantity, 0, precision_digits=6) <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity to dispose of lot %(lot)s must be positive.",
                        lot=disposition.lot_id.name,
                    )
                )

    def action_execute(self):
        """Carry out the dispositions: each makes and validates its stock operation now."""
        for disposition in self:
            disposition._check_can_execute()
            # Done first: a Release disposition that is done is what lifts the recall's block on
            # the lot (see recall.event._blocking_events_by_lot), so that its stock may go back.
            disposition._write_decision(
                {"state": "done", "date_done": fields.Datetime.now(), "done_by_id": self.env.uid}
            )
            getattr(disposition, f"_execute_{disposition.action}")()
            disposition.event_id._post_follow_up(
                self.env._(
                    "Disposition of lot %(lot)s carried out: %(action)s, %(quantity)s %(uom)s.",
                    lot=disposition.lot_id.name,
                    action=dict(disposition._fields["action"]._description_selection(self.env))[
                        disposition.action
                    ],
                    quantity=disposition.quantity,
                    uom=disposition.product_id.uom_id.name,
                )
            )
        return True

    def action_cancel(self):
        if self.filtered(lambda d: d.state != "draft"):
            raise UserError(self.env._("A disposition that was carried out cannot be cancelled."))
        self._write_decision({"state": "cancelled"})
        return True

    def _decision_fields(self):
        # Done is what carries a disposition out (a done release lifts the recall's block on the
        # lot): it is reached only through Execute, which checks who may take it.
        return super()._decision_fields() | {"state", "date_done", "done_by_id", "picking_id", "scrap_id"}

    def _check_can_execute(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._("Disposition of lot %(lot)s was already carried out.", lot=self.lot_id.name)
            )
        if self.event_id.is_mock:
            raise UserError(
                self.env._("%(recall)s is a mock recall: it moves no stock.", recall=self.event_id.name)
            )
        if self.event_id.state not in ("in_progress", "closed"):
            raise UserError(
                self.env._(
                    "Start recall %(recall)s before disposing of its stock.", recall=self.event_id.name
                )
            )
        if self.action == "release":
            if not self.env.user.has_group("capa.group_quality_manager"):
                raise AccessError(
                    self.env._(
                        "Only a quality manager can release lot %(lot)s of recall %(recall)s.",
                        lot=self.lot_id.name,
                        recall=self.event_id.name,
                    )
                )
            if not (self.reason or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason for releasing lot %(lot)s back to stock.", lot=self.lot_id.name
                    )
                )
            return
        available = sum(
            self.env["stock.quant"]
            .search([("lot_id", "=", self.lot_id.id), ("location_id", "=", self.location_id.id)])
            .mapped("quantity")
        )
        if float_compare(self.quantity, available, precision_rounding=self.uom_id.rounding) > 0:
            raise UserError(
                self.env._(
                    "Only %(available)s %(uom)s of lot %(lot)s are in %(location)s; the disposition asks for"
                    " %(quantity)s.",
                    available=available,
                    uom=self.uom_id.name,
                    lot=self.lot_id.name,
                    location=self.location_id.display_name,
                    quantity=self.quantity,
                )
            )
        if self.action == "destroy" and not self._attachments():
            raise UserError(
                self.env._(
                    "Attach the destruction record of lot %(lot)s (certificate, photos, witness sheet) to"
                    " the disposition before destroying it.",
                    lot=self.lot_id.name,
                )
            )
        if self.action == "return_to_vendor" and not self.supplier_id:
            raise UserError(
                self.env._(
                    "No supplier is known for lot %(lot)s: choose the supplier to return it to.",
                    lot=self.lot_id.name,
                )
            )

    def _attachments(self):
        return self.env["ir.attachment"].search([("res_model", "=", self._name), ("res_id", "=", self.id)])

    def _origin_label(self):
        return self.env._("%(recall)s: %(action)s", recall=self.event_id.name, action=self._action_label())

    def _action_label(self):
        return dict(self._fields["action"]._description_selection(self.env))[self.action]

    def _execute_destroy(self):
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product_id.id,
                "product_uom_id": self.uom_id.id,
                "lot_id": self.lot_id.id,
                "scrap_qty": self.quantity,
                "location_id": self.location_id.id,
                "origin": self._origin_label(),
                "company_id": self.company_id.id,
            }
        )
        scrap.do_scrap()
        for attachment in self._attachments():
            attachment.copy({"res_model": "stock.scrap", "res_id": scrap.id})
        self._write_decision({"scrap_id": scrap.id})

    def _execute_return_to_vendor(self):
        warehouse = self.location_id.warehouse_id
        destination = self.supplier_id.property_stock_supplier
        self._write_decision(
            {"picking_id": self._validated_transfer(warehouse.out_type_id, destination, self.supplier_id).id}
        )

    def _execute_rework(self):
        warehouse = self.location_id.warehouse_id
        picking = self._validated_transfer(
            warehouse.int_type_id, self.event_id._rework_location(warehouse), self.env["res.partner"]
        )
        self._write_decision({"picking_id": picking.id})

    def _execute_release(self):
        # The quality manager's decision (checked in _check_can_execute) releases the lot.
        pickings = self.lot_id._release_quarantine(
            self.env._("%(recall)s: %(reason)s", recall=self.event_id.name, reason=self.reason)
        )
        self._write_decision({"picking_id": pickings[:1].id})

    def _validated_transfer(self, picking_type, destination, partner):
        """A transfer of this disposition's quantity of the lot, validated at once. Quarantined lots
        are not reserved automatically (see the lot-release rules), so the move line names it; the
        rules let recalled stock go back to the supplier or stay in quarantine."""
        if float_is_zero(self.quantity, precision_rounding=self.uom_id.rounding):
            return self.env["stock.picking"]
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id,
                "location_id": self.location_id.id,
                "location_dest_id": destination.id,
                "origin": self._origin_label(),
                "recall_event_id": self.event_id.id,
                "company_id": self.company_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self._origin_label(),
                            "product_id": self.product_id.id,
                            "product_uom": self.uom_id.id,
                            "product_uom_qty": self.quantity,
                            "location_id": self.location_id.id,
                            "location_dest_id": destination.id,
                            "picked": True,
                            "move_line_ids": [
                                Command.create(
                                    {
                                        "product_id": self.product_id.id,
                                        "product_uom_id": self.uom_id.id,
                                        "lot_id": self.lot_id.id,
                                        "location_id": self.location_id.id,
                                        "location_dest_id": destination.id,
                                        "quantity": self.quantity,
                                        "picked": True,
                                    }
                                )
                            ],
                        }
                    )
                ],
            }
        )
        picking._action_done()
        return picking
