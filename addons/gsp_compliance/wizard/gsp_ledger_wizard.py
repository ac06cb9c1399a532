# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.misc import formatLang

from ..models.gsp_license import EXPIRING_DAYS

LEDGERS = [
    ("acceptance", "Receipt Acceptance Ledger"),
    ("outbound_review", "Outbound Review Ledger"),
    ("expiry", "Near-Expiry and Expired Stock"),
    ("temperature", "Temperature Log"),
    ("license", "Licences and Their Validity"),
    ("audit", "Audit Trail"),
]


class GspLedgerWizard(models.TransientModel):
    """G7: the inspection ledgers, for a period and a company, as PDF or XLSX.

    ``_ledger_data`` collects what a ledger shows (sections of headers and rows of plain values);
    the PDF template and the XLSX report both render it, so they always show the same thing."""

    _name = "gsp.ledger.wizard"
    _description = "Print an Inspection Ledger"

    ledger = fields.Selection(LEDGERS, required=True, default="acceptance")
    date_from = fields.Date(
        string="From", required=True, default=lambda self: fields.Date.context_today(self).replace(day=1)
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(day=31),
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_to < wizard.date_from:
                raise ValidationError(
                    self.env._(
                        "The period ends (%(date_to)s) before it starts (%(date_from)s): choose an end"
                        " date on or after the start date.",
                        date_to=wizard.date_to,
                        date_from=wizard.date_from,
                    )
                )

    # --- Actions --------------------------------------------------------------------------------
    def action_print_pdf(self):
        self.ensure_one()
        self._check_ledger_access()
        return self.env.ref("gsp_compliance.action_report_gsp_ledger").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        self._check_ledger_access()
        return self.env.ref("gsp_compliance.action_report_gsp_ledger_xlsx").report_action(self)

    def _check_ledger_access(self):
        for wizard in self:
            if wizard.ledger == "audit" and not self.env.user.has_group("gsp_compliance.group_gsp_manager"):
                raise AccessError(
                    self.env._(
                        "The audit trail ledger can only be printed by GSP managers. Ask a GSP manager to"
                        " print it for you."
                    )
                )

    # --- Period and formatting helpers ----------------------------------------------------------
    def _tz(self):
        return pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")

    def _period_bounds(self):
        """The period as naive UTC datetimes [start, end): whole days in the user's time zone."""
        self.ensure_one()
        tz = self._tz()

        def to_utc(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return to_utc(self.date_from), to_utc(self.date_to + timedelta(days=1))

    def _reference_datetime(self):
        """The moment the stock and licence ledgers are evaluated at: the end of the period, or
        now when the period is not over."""
        return min(self._period_bounds()[1], fields.Datetime.now())

    def _local(self, value):
        """A UTC datetime as a naive datetime in the user's time zone; False stays empty."""
        if not value:
            return None
        return pytz.utc.localize(value).astimezone(self._tz()).replace(tzinfo=None)

    def _yes_no(self, value):
        return self.env._("Yes") if value else self.env._("No")

    def _selection_label(self, record, field_name):
        value = record[field_name]
        if not value:
            return ""
        return dict(record._fields[field_name]._description_selection(self.env)).get(value, value)

    def _ledger_label(self):
        self.ensure_one()
        return dict(self._fields["ledger"]._description_selection(self.env))[self.ledger]

    def _ledger_period_text(self):
        self.ensure_one()
        return self.env._(
            "%(date_from)s to %(date_to)s",
            date_from=self._format_cell(self.date_from),
            date_to=self._format_cell(self.date_to),
        )

    def _printed_on(self):
        return self._format_cell(self._local(fields.Datetime.now()))

    def _format_cell(self, value):
        """A cell value as text, for the PDF (the XLSX report writes the values themselves)."""
        if value is None or value is False:
            return ""
        if isinstance(value, (str, int)):  # most cells: the language's formats are not needed
            return str(value)
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        date_format = lang.date_format or "%m/%d/%Y"
        if isinstance(value, datetime):
            return value.strftime(f"{date_format} %H:%M")
        if isinstance(value, date):
            return value.strftime(date_format)
        if isinstance(value, float):
            return formatLang(self.env, value, digits=2)
        return str(value)

    def _section(self, title, headers, rows, numeric=(), widths=None):
        """A table of a ledger; ``widths``: the columns' shares of the page's width, in percent."""
        return {"title": title, "headers": headers, "rows": rows, "numeric": set(numeric), "widths": widths}

    # --- Data collection ------------------------------------------------------------------------
    def _ledger_data(self):
        """What the chosen ledger shows: ``{"title", "notes": [texts shown above the tables],
        "verdict": None or {"ok", "text"}, "sections": [{"title", "headers", "rows", "numeric"}]}``.

        Rows hold plain values (text, numbers, dates and naive local datetimes)."""
        self.ensure_one()
        self._check_ledger_access()
        collect = getattr(self.with_company(self.company_id), f"_ledger_{self.ledger}")
        data = {"title": self._ledger_label(), "notes": [], "verdict": None, "sections": []}
        data.update(collect())
        return data

    def _ledger_rows(self):
        """Headers and rows of the chosen ledger's main table."""
        section = self._ledger_data()["sections"][0]
        return section["headers"], section["rows"]

    def _ledger_acceptance(self):
        start, end = self._period_bounds()
        acceptances = self.env["gsp.acceptance"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("date_concluded", ">=", start),
                ("date_concluded", "<", end),
            ],
            order="date_concluded, id",
        )
        headers = [
            self.env._("Reference"),
            self.env._("Receipt"),
            self.env._("Supplier"),
            self.env._("Product"),
            self.env._("Lot"),
            self.env._("Received"),
            self.env._("Sampled"),
            self.env._("Packaging"),
            self.env._("Labelling"),
            self.env._("Documents"),
            self.env._("Arrival Temperature (°C)"),
            self.env._("Conclusion"),
            self.env._("Acceptor"),
            self.env._("Concluded On"),
            self.env._("Signature"),
        ]
        rows = [
            [
                acceptance.name,
                acceptance.picking_id.name or "",
                acceptance.partner_id.display_name or "",
                acceptance.product_id.display_name or "",
                acceptance.lot_id.name or "",
                acceptance.qty_received,
                acceptance.qty_sampled,
                self._selection_label(acceptance, "check_packaging"),
                self._selection_label(acceptance, "check_labelling"),
                self._selection_label(acceptance, "check_documents"),
                acceptance.arrival_temperature
                if acceptance.temperature_controlled or acceptance.arrival_temperature
                else None,
                self._selection_label(acceptance, "conclusion"),
                acceptance.acceptor_id.name or "",
                self._local(acceptance.date_concluded),
                self._signature_text(acceptance.signature_id),
            ]
            for acceptance in acceptances
        ]
        return {"sections": [self._section(self.env._("Acceptances"), headers, rows, numeric=(5, 6, 10))]}

    def _signature_text(self, signature):
        if not signature:
            return ""
        return self.env._(
            "%(user)s, %(date)s (%(meaning)s), %(hash)s",
            user=signature.user_id.name,
            date=self._format_cell(self._local(signature.timestamp)),
            meaning=self._selection_label(signature, "meaning"),
            hash=(signature.hash or "")[:12],
        )

    def _ledger_outbound_review(self):
        Picking = self.env["stock.picking"]
        start, end = self._period_bounds()
        pickings = Picking.search(
            [
                ("company_id", "=", self.company_id.id),
                ("gsp_review_date", ">=", start),
                ("gsp_review_date", "<", end),
            ],
            order="gsp_review_date, id",
        )
        headers = [
            self.env._("Delivery"),
            self.env._("Customer"),
            self.env._("Date Done"),
            self.env._("Product"),
            self.env._("Lot"),
            self.env._("Expiration Date"),
            self.env._("Quantity"),
            self.env._("Unit"),
            self.env._("Reviewer"),
            self.env._("Reviewed On"),
            self.env._("Review Note"),
            self.env._("Shipped as Reviewed"),
            self.env._("Signature"),
        ]
        rows = []
        for picking in pickings:
            common = [picking.name, picking.partner_id.display_name or "", self._local(picking.date_done)]
            review = [
                picking.gsp_review_user_id.name or "",
                self._local(picking.gsp_review_date),
                picking.gsp_review_note or "",
                self._yes_no(picking.gsp_review_fingerprint == picking._gsp_review_lines_fingerprint()),
                self._signature_text(picking.gsp_review_signature_id),
            ]
            lines = picking._gsp_review_lines()
            for line in lines:
                lot = line.lot_id
                rows.append(
                    common
                    + [
                        line.product_id.display_name,
                        lot.name or "",
                        self._local(lot.expiration_date).date() if lot.expiration_date else None,
                        line.quantity,
                        line.product_uom_id.name,
                    ]
                    + review
                )
            if not lines:
                rows.append(common + ["", "", None, None, ""] + review)
        return {"sections": [self._section(self.env._("Reviewed Deliveries"), headers, rows, numeric=(6,))]}

    def _ledger_expiry(self):
        reference = self._reference_datetime()
        quants = self.env["stock.quant"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("location_id.usage", "=", "internal"),
                ("lot_id.expiration_date", "!=", False),
                ("quantity", ">", 0),
            ],
            order="product_id, lot_id, location_id",
        )
        Lot = self.env["stock.lot"]
        states = dict(Lot._fields["expiry_state"]._description_selection(self.env))
        headers = [
            self.env._("Warehouse"),
            self.env._("Location"),
            self.env._("Product"),
            self.env._("Lot"),
            self.env._("Expiration Date"),
            self.env._("Days Left"),
            self.env._("Expiry State"),
            self.env._("Quarantined"),
            self.env._("Quantity"),
            self.env._("Unit"),
        ]
        rows = []
        for quant in quants:
            lot = quant.lot_id
            warning = lot.product_id.product_tmpl_id._get_expiry_warning_days(self.company_id)
            state = Lot._expiry_state_of(lot.expiration_date, warning, reference)
            if state not in ("near_expiry", "expired"):
                continue
            expiry = self._local(lot.expiration_date)
            rows.append(
                [
                    quant.warehouse_id.name or "",
                    quant.location_id.complete_name,
                    quant.product_id.display_name,
                    lot.name,
                    expiry,
                    (expiry.date() - self._local(reference).date()).days,
                    states[state],
                    self._yes_no(lot.is_quarantined),
                    quant.quantity,
                    quant.product_uom_id.name,
                ]
            )
        rows.sort(key=lambda row: (row[0], row[4], row[2], row[3]))
        note = self.env._(
            "Stock on hand when printed; expiry states as of %(date)s.",
            date=self._format_cell(self._local(reference)),
        )
        return {
            "notes": [note],
            "sections": [
                self._section(self.env._("Near-Expiry and Expired Lots"), headers, rows, numeric=(5, 8))
            ],
        }

    def _ledger_temperature(self):
        start, end = self._period_bounds()
        company_domain = [("company_id", "=", self.company_id.id)]
        logs = self.env["stock.temperature.log"].search(
            company_domain + [("measured_at", ">=", start), ("measured_at", "<", end)],
            order="location_id, measured_at, id",
        )
        sources = dict(logs._fields["source"]._description_selection(self.env))
        summary = []
        for location, location_logs in logs.grouped("location_id").items():
            temperatures = location_logs.mapped("temperature")
            summary.append(
                [
                    location.complete_name,
                    len(location_logs),
                    min(temperatures),
                    max(temperatures),
                    len(location_logs.filtered("is_out_of_range")),
                ]
            )
        readings = [
            [
                log.location_id.complete_name,
                self._local(log.measured_at),
                log.temperature,
                sources.get(log.source, ""),
                log.device_id.display_name or "",
                log.lot_id.name or "",
                self._yes_no(log.is_out_of_range),
                log.excursion_id.name or "",
            ]
            for log in logs
        ]
        excursions = self.env["stock.temperature.excursion"].search(
            company_domain
            + [("date_start", "<", end), "|", ("date_end", "=", False), ("date_end", ">=", start)],
            order="date_start, id",
        )
        excursion_rows = [
            [
                excursion.name,
                excursion.location_id.complete_name,
                self._local(excursion.date_start),
                self._local(excursion.date_end),
                excursion.temp_min_seen,
                excursion.temp_max_seen,
                ", ".join(excursion.lot_ids.mapped("name")),
                self._selection_label(excursion, "state"),
            ]
            for excursion in excursions
        ]
        return {
            "sections": [
                self._section(
                    self.env._("Readings"),
                    [
                        self.env._("Location"),
                        self.env._("Measured At"),
                        self.env._("Temperature (°C)"),
                        self.env._("Source"),
                        self.env._("Sensor"),
                        self.env._("Lot"),
                        self.env._("Out of Range"),
                        self.env._("Excursion"),
                    ],
                    readings,
                    numeric=(2,),
                ),
                self._section(
                    self.env._("Excursions"),
                    [
                        self.env._("Excursion"),
                        self.env._("Location"),
                        self.env._("Start"),
                        self.env._("End"),
                        self.env._("Lowest (°C)"),
                        self.env._("Highest (°C)"),
                        self.env._("Affected Lots"),
                        self.env._("Status"),
                    ],
                    excursion_rows,
                    numeric=(4, 5),
                ),
                self._section(
                    self.env._("Summary per Location"),
                    [
                        self.env._("Location"),
                        self.env._("Readings"),
                        self.env._("Lowest (°C)"),
                        self.env._("Highest (°C)"),
                        self.env._("Out of Range"),
                    ],
                    summary,
                    numeric=(1, 2, 3, 4),
                ),
            ]
        }

    def _license_state_at(self, license_, reference_date):
        """The state of a licence on ``reference_date``: valid, expiring (within
        ``EXPIRING_DAYS``), expired, not yet valid, revoked, or draft (never approved)."""
        if license_.state == "revoked":
            return self._selection_label(license_, "state")
        if license_.date_to < reference_date:
            return self.env._("Expired")
        if license_.date_from and license_.date_from > reference_date:
            return self.env._("Not Yet Valid")
        if license_.state == "draft":
            # Never approved: not a valid licence, whatever its dates.
            return self._selection_label(license_, "state")
        if license_.date_to <= reference_date + timedelta(days=EXPIRING_DAYS):
            return self.env._("Expiring within %(days)s days", days=EXPIRING_DAYS)
        return self.env._("Valid")

    def _ledger_license(self):
        reference_date = self._local(self._reference_datetime()).date()
        licenses = self.env["gsp.license"].search(
            [("company_id", "=", self.company_id.id)], order="partner_id, license_type, date_to, id"
        )
        headers = [
            self.env._("Holder"),
            self.env._("Licence"),
            self.env._("Type"),
            self.env._("Number"),
            self.env._("Issuer"),
            self.env._("Categories"),
            self.env._("Valid From"),
            self.env._("Valid To"),
            self.env._("Status"),
            self.env._("State at Period End"),
        ]
        rows = [
            [
                license_.partner_id.display_name or "",
                license_.name or "",
                self._selection_label(license_, "license_type"),
                license_.number or "",
                license_.issuer or "",
                ", ".join(license_.category_ids.mapped("display_name")),
                license_.date_from or None,
                license_.date_to or None,
                self._selection_label(license_, "state"),
                self._license_state_at(license_, reference_date),
            ]
            for license_ in licenses
        ]
        note = self.env._(
            "States as of %(date)s; licences ending within %(days)s days of it are expiring.",
            date=self._format_cell(reference_date),
            days=EXPIRING_DAYS,
        )
        return {"notes": [note], "sections": [self._section(self.env._("Licences"), headers, rows)]}

    def _changes_text(self, readable):
        """An entry's changes (``gsp.audit.log._readable_changes``), one "Label: old → new" per
        line."""
        AuditLog = self.env["gsp.audit.log"]
        return "\n".join(AuditLog._change_line(*change) for change in readable)

    def _ledger_audit(self):
        AuditLog = self.env["gsp.audit.log"]
        start, end = self._period_bounds()
        ok, broken = AuditLog.verify_chain()
        if ok:
            # sudo: the chain spans every company; its size is what was verified.
            verdict_text = self.env._(
                "Chain verified: %(count)s entries, intact", count=AuditLog.sudo().search_count([])
            )
        else:
            verdict_text = self.env._("Chain BROKEN at entry #%(id)s", id=broken[:1].id)
        entries = AuditLog.search(
            [
                ("company_id", "in", [self.company_id.id, False]),
                ("timestamp", ">=", start),
                ("timestamp", "<", end),
            ],
            order="timestamp, id",
        )
        operations = dict(AuditLog._fields["operation"]._description_selection(self.env))
        readable = entries._readable_changes()
        headers = [
            self.env._("Entry"),
            self.env._("Date"),
            self.env._("User"),
            self.env._("Operation"),
            self.env._("Document"),
            self.env._("Record"),
            self.env._("Changes"),
            self.env._("Reason"),
            self.env._("Hash"),
        ]
        rows = []
        for entry in entries:
            rows.append(
                [
                    entry.id,
                    self._local(entry.timestamp),
                    entry.user_id.name or "",
                    operations.get(entry.operation, entry.operation or ""),
                    entry.model_description,
                    entry.record_name or (f"#{entry.res_id}" if entry.res_id else ""),
                    self._changes_text(readable[entry.id]),
                    entry.reason or "",
                    (entry.hash or "")[:16],
                ]
            )
        return {
            "verdict": {"ok": ok, "text": verdict_text, "broken_ids": broken.ids},
            "sections": [
                self._section(
                    self.env._("Audit Trail Entries"),
                    headers,
                    rows,
                    widths=[5, 10, 8, 6, 8, 11, 33, 10, 9],
                )
            ],
        }
