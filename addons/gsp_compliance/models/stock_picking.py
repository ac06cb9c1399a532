# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import hashlib
import json

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "quality.decision.mixin"]

    # --- G5: receipt acceptance ---------------------------------------------------------------------
    gsp_acceptance_ids = fields.One2many("gsp.acceptance", "picking_id", string="Acceptances")
    gsp_acceptance_count = fields.Integer(compute="_compute_gsp_acceptance_count", string="Acceptance Count")

    # --- G6: outbound review ------------------------------------------------------------------------
    gsp_review_required = fields.Boolean(
        compute="_compute_gsp_review_required",
        store=True,
        string="GSP Review Required",
        help="A delivery to a customer with regulated products: a reviewer who did not prepare it checks"
        " its lots and expiry dates before it can be validated.",
    )
    gsp_review_user_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False)
    gsp_review_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    gsp_review_note = fields.Text(string="Review Note", copy=False)
    gsp_review_snapshot = fields.Html(
        string="Reviewed Lots",
        readonly=True,
        copy=False,
        sanitize=True,
        help="The products, lots, expiry dates and quantities the reviewer saw and signed.",
    )
    gsp_review_fingerprint = fields.Char(readonly=True, copy=False, help="Hash of the reviewed lines.")
    gsp_review_signature_id = fields.Many2one(
        "gsp.signature", string="Review Signature", readonly=True, copy=False
    )
    gsp_review_state = fields.Selection(
        [
            ("not_required", "Not Required"),
            ("to_review", "To Review"),
            ("changed", "Changed Since Review"),
            ("reviewed", "Reviewed"),
        ],
        string="GSP Review",
        compute="_compute_gsp_review_state",
    )

    def _compute_gsp_acceptance_count(self):
        counts = dict(
            self.env["gsp.acceptance"]
            .with_context(active_test=False)
            ._read_group([("picking_id", "in", self.ids)], ["picking_id"], ["__count"])
        )
        for picking in self:
            picking.gsp_acceptance_count = counts.get(picking, 0)

    @api.depends(
        "location_id.usage",
        "location_dest_id.usage",
        "move_ids.location_dest_id.usage",
        "move_ids.product_id.gsp_regulated",
    )
    def _compute_gsp_review_required(self):
        for picking in self:
            picking.gsp_review_required = picking._gsp_is_customer_delivery() and any(
                picking.move_ids.product_id.mapped("gsp_regulated")
            )

    @api.depends(
        "gsp_review_required",
        "gsp_review_user_id",
        "gsp_review_fingerprint",
        "move_line_ids.lot_id",
        "move_line_ids.quantity",
        "move_line_ids.location_id",
        "move_line_ids.location_dest_id",
        "move_line_ids.product_id",
        "partner_id",
        "location_dest_id",
    )
    def _compute_gsp_review_state(self):
        for picking in self:
            if not picking.gsp_review_required:
                picking.gsp_review_state = "not_required"
            elif not picking.gsp_review_user_id:
                picking.gsp_review_state = "to_review"
            elif (
                picking.state != "done"
                and picking.gsp_review_fingerprint != picking._gsp_review_lines_fingerprint()
            ):
                picking.gsp_review_state = "changed"
            else:
                picking.gsp_review_state = "reviewed"

    def _gsp_is_customer_delivery(self):
        """Stock leaving for a customer, whatever the operation type or route (a receipt-type or
        internal-type transfer to a customer location too); returns from a customer are not."""
        self.ensure_one()
        if self.location_id.usage == "customer":
            return False
        return self.location_dest_id.usage == "customer" or any(
            move.location_dest_id.usage == "customer" for move in self.move_ids
        )

    def _gsp_is_supplier_receipt(self):
        self.ensure_one()
        return self.picking_type_code == "incoming" and self.location_id.usage == "supplier"

    # --- Receipts: quarantine and acceptance --------------------------------------------------------
    def _action_done(self):
        # A lot the lot-release policy holds back is refused for that first, review or not.
        self._release_lines_to_do()._check_release_policy()
        self._gsp_check_review()
        res = super()._action_done()
        receipts = self.filtered(lambda p: p.state == "done" and p._gsp_is_supplier_receipt())
        lines = receipts.move_line_ids.filtered(
            lambda line: line.product_id.gsp_regulated and line.quantity and line.state == "done"
        )
        if lines:
            self.env["gsp.acceptance"]._create_from_receipt_lines(lines)
        return res

    def action_view_gsp_acceptances(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("gsp_compliance.gsp_acceptance_action")
        action.update(domain=[("picking_id", "=", self.id)], context={"active_test": False})
        if self.gsp_acceptance_count == 1:
            action.update(res_id=self.gsp_acceptance_ids.id, view_mode="form", views=[(False, "form")])
        return action

    # --- Deliveries: review -------------------------------------------------------------------------
    def _gsp_review_lines(self, lines=None):
        lines = self.move_line_ids if lines is None else lines
        return lines.filtered(lambda line: line.quantity).sorted(
            lambda line: (line.product_id.id, line.lot_id.name or "", line.location_id.id, line.id)
        )

    def _gsp_review_lines_fingerprint(self, lines=None):
        """A hash of what the reviewer checks: the customer and destination of the delivery, and the
        product, lot, expiry, quantity, source and destination of each line; any change to them
        after the review calls for a new review."""
        self.ensure_one()
        content = [
            [self.partner_id.commercial_partner_id.id, self.partner_id.id, self.location_dest_id.id]
        ] + [
            [
                line.product_id.id,
                line.lot_id.id,
                fields.Datetime.to_string(line.lot_id.expiration_date) if line.lot_id.expiration_date else "",
                round(line.quantity, 6),
                line.product_uom_id.id,
                line.location_id.id,
                line.package_id.id,
                line.location_dest_id.id,
            ]
            for line in self._gsp_review_lines(lines)
        ]
        return hashlib.sha256(json.dumps(content, separators=(",", ":")).encode()).hexdigest()

    def _gsp_review_snapshot(self):
        self.ensure_one()
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s %s</td><td>%s</td></tr>")
            % (
                line.product_id.display_name,
                line.lot_id.name or "",
                fields.Date.to_string(fields.Date.context_today(self, line.lot_id.expiration_date))
                if line.lot_id.expiration_date
                else "",
                line.quantity,
                line.product_uom_id.name,
                line.location_id.display_name,
            )
            for line in self._gsp_review_lines()
        )
        header = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("Product"),
            self.env._("Lot"),
            self.env._("Expiration Date"),
            self.env._("Quantity"),
            self.env._("From"),
        )
        return Markup('<table class="table table-sm"><thead>%s</thead><tbody>%s</tbody></table>') % (
            header,
            rows,
        )

    def _gsp_preparers(self):
        """The users who prepared the delivery, who may not review it: the picking's responsible
        (``user_id``) and whoever created or last changed its lines with a quantity (the operations
        that chose the lots and quantities to ship: reservation, picking, edits). The superuser
        (scheduler, automatic reservations) prepares nothing."""
        self.ensure_one()
        lines = self._gsp_review_lines()
        users = self.user_id | lines.create_uid | lines.write_uid
        return users.filtered(lambda user: not user._is_superuser())

    def _decision_fields(self):
        # The review and what it saw; "review required" is computed from the delivery itself.
        return super()._decision_fields() | {
            "gsp_review_required",
            "gsp_review_user_id",
            "gsp_review_date",
            "gsp_review_snapshot",
            "gsp_review_fingerprint",
            "gsp_review_signature_id",
        }

    def _gsp_check_can_review(self):
        user = self.env.user
        if not user.has_group("gsp_compliance.group_gsp_reviewer"):
            raise AccessError(
                self.env._(
                    "Only a GSP reviewer can review %(pickings)s. Ask a reviewer of your quality team.",
                    pickings=", ".join(self.mapped("name")),
                )
            )
        for picking in self:
            if not picking.gsp_review_required:
                raise UserError(
                    self.env._(
                        "%(picking)s is not a delivery of regulated products to a customer: it needs no"
                        " review.",
                        picking=picking.name,
                    )
                )
            if picking.state in ("done", "cancel"):
                raise UserError(
                    self.env._(
                        "%(picking)s is done or cancelled: it can no longer be reviewed.",
                        picking=picking.name,
                    )
                )
            if not picking._gsp_review_lines():
                raise UserError(
                    self.env._(
                        "%(picking)s has no lots or quantities to review yet: reserve or pick them first.",
                        picking=picking.name,
                    )
                )
            if user in picking._gsp_preparers():
                raise UserError(
                    self.env._(
                        "You prepared %(picking)s (responsible, or you reserved, picked or changed its"
                        " lines): another reviewer must review it.",
                        picking=picking.name,
                    )
                )

    def action_gsp_review(self):
        """Review the lots and expiry dates of regulated deliveries, signed with the meaning
        "reviewed". Only GSP reviewers, and not the users who prepared the delivery (see
        ``_gsp_preparers``). The lines seen are recorded (snapshot and fingerprint): changing them
        afterwards calls for a new review before validation."""
        self._gsp_check_can_review()
        signatures = self._gsp_signatures("reviewed", "action_gsp_review")
        now = fields.Datetime.now()
        for picking in self:
            picking._write_decision(
                {
                    "gsp_review_user_id": self.env.uid,
                    "gsp_review_date": now,
                    "gsp_review_snapshot": picking._gsp_review_snapshot(),
                    "gsp_review_fingerprint": picking._gsp_review_lines_fingerprint(),
                    "gsp_review_signature_id": signatures.filtered(lambda s, p=picking: s.res_id == p.id)[
                        :1
                    ].id,
                }
            )
            picking.message_post(
                body=Markup("<p>%s</p>%s")
                % (
                    self.env._("GSP outbound review by %(user)s.", user=self.env.user.name),
                    picking.gsp_review_snapshot,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _gsp_check_review(self):
        """A regulated delivery to a customer is validated only after a review of the very lines it
        ships, to that customer and destination (see _gsp_review_problem)."""
        for picking in self:
            problem = picking._gsp_review_problem()
            if problem:
                raise UserError(problem)

    def _gsp_review_problem(self, lines=None):
        """Why this transfer may not ship its regulated products now (no review, or a review of
        other lines, customer or destination), or None. Read by the done step of every move line
        of regulated stock to a customer (gsp stock.move.line, with the ``lines`` being done: when
        Odoo splits a backorder off, the lines it reserves for it are not what ships) and before
        validation (every line of the transfer)."""
        self.ensure_one()
        if not self.gsp_review_required or self.state in ("done", "cancel"):
            return None
        if not self.gsp_review_user_id:
            return self.env._(
                "%(picking)s ships regulated products: it needs a review by a reviewer who did not"
                " prepare it before it can be validated. Ask a GSP reviewer to review it"
                " (GSP Review tab).",
                picking=self.name,
            )
        if self.gsp_review_fingerprint != self._gsp_review_lines_fingerprint(lines):
            return self.env._(
                "The lots, quantities, customer or destination of %(picking)s changed after %(user)s"
                " reviewed it: it needs a new review by a reviewer who did not prepare it before it can"
                " be validated.",
                picking=self.name,
                user=self.gsp_review_user_id.name,
            )
        return None

    def button_validate(self):
        self._release_lines_to_do()._check_release_policy()
        self._gsp_check_review()
        return super().button_validate()
