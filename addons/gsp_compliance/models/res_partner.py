# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .gsp_license import EXPIRING_DAYS

QUALIFICATION_STATES = [
    ("qualified", "Qualified"),
    ("expiring", "Expiring"),
    ("unqualified", "Unqualified"),
    ("not_required", "Not Required"),
]
LICENSE_READERS = ",".join(
    [
        "stock.group_stock_user",
        "sales_team.group_sale_salesman",
        "purchase.group_purchase_user",
        "capa.group_quality_user",
    ]
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    gsp_regulated_partner = fields.Boolean(
        string="Trades Regulated Products",
        help="The partner buys or sells regulated products (drugs, medical devices, cold-chain food):"
        " it needs approved licences (GSP qualification).",
    )
    gsp_license_ids = fields.One2many("gsp.license", "partner_id", string="Licences", groups=LICENSE_READERS)
    gsp_license_count = fields.Integer(
        string="Licence Count", compute="_compute_gsp_license_count", groups=LICENSE_READERS
    )
    gsp_qualification_state = fields.Selection(
        QUALIFICATION_STATES,
        string="GSP Qualification",
        compute="_compute_gsp_qualification_state",
        search="_search_gsp_qualification_state",
        help="Qualified: an approved licence valid today and beyond the next 90 days. Expiring: every"
        " valid licence ends within 90 days. Unqualified: no approved licence valid today although the"
        " partner trades regulated products or has licences. In the current company.",
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["gsp_regulated_partner"]

    def _compute_gsp_license_count(self):
        counts = dict(
            self.env["gsp.license"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.gsp_license_count = counts.get(partner.commercial_partner_id, 0)

    # --- Qualification state ----------------------------------------------------------------------
    @api.model
    def _gsp_qualification_sets(self, partner_ids=None):
        """(licensed, valid) for the current company today: the commercial partners having a
        licence, and {commercial partner id: latest end of its approved licences valid today}."""
        today = fields.Date.context_today(self)
        domain = [("company_id", "=", self.env.company.id)]
        if partner_ids is not None:
            domain.append(("partner_id", "in", partner_ids))
        # sudo: the qualification state is shown to anyone who sees the partner, and checked for anyone
        # who buys or sells; the licences themselves stay protected.
        licences = self.env["gsp.license"].sudo().search(domain)
        valid = {}
        for licence in licences:
            if licence._gsp_valid_on(today):
                partner_id = licence.partner_id.id
                valid[partner_id] = max(valid.get(partner_id, licence.date_to), licence.date_to)
        return set(licences.partner_id.ids), valid

    @api.depends("commercial_partner_id", "gsp_regulated_partner")
    @api.depends_context("company", "tz")
    def _compute_gsp_qualification_state(self):
        horizon = fields.Date.context_today(self) + timedelta(days=EXPIRING_DAYS)
        commercials = self.commercial_partner_id
        licensed, valid = self._gsp_qualification_sets([pid for pid in commercials.ids if pid])
        for partner in self:
            commercial = partner.commercial_partner_id
            if commercial.id in valid:
                state = "qualified" if valid[commercial.id] > horizon else "expiring"
            elif commercial.id in licensed or commercial.gsp_regulated_partner:
                state = "unqualified"
            else:
                state = "not_required"
            partner.gsp_qualification_state = state

    def _search_gsp_qualification_state(self, operator, value):
        if operator in ("=", "!="):
            values = [value]
        elif operator in ("in", "not in"):
            values = list(value)
        else:
            raise UserError(self.env._("Search the GSP qualification with =, !=, in or not in."))
        horizon = fields.Date.context_today(self) + timedelta(days=EXPIRING_DAYS)
        licensed, valid = self._gsp_qualification_sets()
        qualified_ids = [pid for pid, date_to in valid.items() if date_to > horizon]
        expiring_ids = [pid for pid, date_to in valid.items() if date_to <= horizon]
        domains = {
            "qualified": [("commercial_partner_id", "in", qualified_ids)],
            "expiring": [("commercial_partner_id", "in", expiring_ids)],
            "unqualified": expression.AND(
                [
                    [("commercial_partner_id", "not in", list(valid))],
                    [
                        "|",
                        ("commercial_partner_id", "in", list(licensed)),
                        ("commercial_partner_id.gsp_regulated_partner", "=", True),
                    ],
                ]
            ),
            "not_required": [
                ("commercial_partner_id", "not in", list(licensed)),
                ("commercial_partner_id.gsp_regulated_partner", "=", False),
            ],
        }
        domain = expression.OR([domains[v] for v in values if v in domains] or [expression.FALSE_DOMAIN])
        if operator in ("!=", "not in"):
            domain = ["!", *expression.normalize_domain(domain)]
        return domain

    def action_view_gsp_licenses(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("gsp_compliance.gsp_license_action")
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    # --- Qualification check (G3/G4) -----------------------------------------------------------
    def _gsp_operation_label(self, operation):
        return {
            "purchase": self.env._("purchased from"),
            "receipt": self.env._("received from"),
            "sale": self.env._("sold to"),
            "delivery": self.env._("delivered to"),
        }.get(operation) or self.env._("traded with")

    def _gsp_check_qualified(self, products, date=None, operation="sale", company=None):
        """Refuse (UserError) to trade the regulated ``products`` (product.product or
        product.template) with this partner on ``date`` unless each has a valid registration and
        the partner's commercial entity has an approved licence valid that day whose scope covers
        the product's category. Non-regulated products are not checked. ``operation``: purchase,
        receipt, sale or delivery; ``company``: whose licences count (default: current)."""
        products = products.filtered("gsp_regulated")
        if not products:
            return True
        date = date or fields.Date.context_today(self)
        company = company or self.env.company
        partner = self.commercial_partner_id
        what = self._gsp_operation_label(operation)
        if not partner:
            raise UserError(
                self.env._(
                    "%(product)s is a regulated product: set the partner it is %(operation)s, whose"
                    " licence is checked.",
                    product=products[0].display_name,
                    operation=what,
                )
            )
        # sudo: the check applies to buyers, salespeople and warehouse staff alike.
        licences = (
            self.env["gsp.license"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("company_id", "=", company.id)])
        )
        valid = licences.filtered(lambda lic: lic._gsp_valid_on(date))
        for product in products:
            template = product.product_tmpl_id if product._name == "product.product" else product
            if not template._gsp_registration_valid(date):
                raise UserError(
                    self.env._(
                        "%(product)s has no valid registration on %(date)s (number: %(number)s, expiry:"
                        " %(expiry)s): it cannot be %(operation)s %(partner)s. Record the product's"
                        " current registration certificate on the product form (GSP tab).",
                        product=product.display_name,
                        date=date,
                        number=template.gsp_registration_number or self.env._("none"),
                        expiry=template.gsp_registration_expiry or self.env._("none"),
                        operation=what,
                        partner=partner.display_name,
                    )
                )
            category = product.categ_id
            if valid.filtered(lambda lic, c=category: lic._gsp_covers(c)):
                continue
            covering = licences.filtered(lambda lic, c=category: lic._gsp_covers(c))
            if covering:
                licence = covering[0]
                status = dict(licence._fields["state"]._description_selection(self.env))[licence.state]
                if licence.state == "approved" and licence.date_to < date:
                    status = self.env._("expired on %(date)s", date=licence.date_to)
                elif licence.state == "approved":
                    status = self.env._("not yet valid (from %(date)s)", date=licence.date_from)
                raise UserError(
                    self.env._(
                        "%(partner)s is not qualified: its licence %(licence)s covering %(category)s is"
                        " %(status)s, so %(product)s cannot be %(operation)s it. Record and approve the"
                        " partner's valid licence (Quality > GSP > Licences).",
                        partner=partner.display_name,
                        licence=licence.display_name,
                        category=category.display_name,
                        status=status,
                        product=product.display_name,
                        operation=what,
                    )
                )
            if valid:
                raise UserError(
                    self.env._(
                        "%(partner)s is not qualified for %(product)s: the scope of its licence"
                        " %(licences)s does not cover the category %(category)s, so the product cannot be"
                        " %(operation)s it. Record and approve a licence covering this category.",
                        partner=partner.display_name,
                        product=product.display_name,
                        licences=", ".join(valid.mapped("display_name")),
                        category=category.display_name,
                        operation=what,
                    )
                )
            raise UserError(
                self.env._(
                    "%(partner)s is not qualified: no licence valid on %(date)s (no approved licence on"
                    " file for %(category)s), so %(product)s cannot be %(operation)s it. Record and"
                    " approve the partner's licence (Quality > GSP > Licences).",
                    partner=partner.display_name,
                    date=date,
                    category=category.display_name,
                    product=product.display_name,
                    operation=what,
                )
            )
        return True
