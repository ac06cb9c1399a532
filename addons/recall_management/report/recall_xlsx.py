# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from collections import defaultdict

from odoo import fields, models

from ..models.recall_trace_line import CUSTOMER_KINDS


def _formats(workbook):
    return {
        "header": workbook.add_format({"bold": True, "bg_color": "#E8EEF3", "border": 1}),
        "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "number": workbook.add_format({"num_format": "#,##0.00"}),
        "red": workbook.add_format({"font_color": "#B00020"}),
    }


def _selection_labels(env, model, field_name):
    return dict(env[model]._fields[field_name]._description_selection(env))


def _write_headers(sheet, headers, formats):
    for column, header in enumerate(headers):
        sheet.write(0, column, header, formats["header"])
    sheet.freeze_panes(1, 0)


def _write_datetime(report, sheet, row, column, value, cell_format):
    """Datetimes in the user's time zone (Excel has none); empty cells for empty values."""
    if not value:
        sheet.write_blank(row, column, None)
        return
    local = fields.Datetime.context_timestamp(report, value).replace(tzinfo=None)
    sheet.write_datetime(row, column, local, cell_format)


class RecallTraceXlsx(models.AbstractModel):
    """The trace of one or more recalls: every movement of the recalled lots, and the net quantity
    each customer holds per lot."""

    _name = "report.recall_management.recall_trace_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Recall Trace (XLSX)"

    def generate_xlsx_report(self, workbook, data, events):
        formats = _formats(workbook)
        directions = _selection_labels(self.env, "recall.trace.line", "direction")
        kinds = _selection_labels(self.env, "recall.trace.line", "kind")

        trace = workbook.add_worksheet(self.env._("Trace"))
        headers = [
            self.env._("Recall"),
            self.env._("Direction"),
            self.env._("Movement"),
            self.env._("Product"),
            self.env._("Lot"),
            self.env._("Expiration Date"),
            self.env._("Partner"),
            self.env._("Location"),
            self.env._("Transfer"),
            self.env._("Date"),
            self.env._("Quantity"),
            self.env._("Unit"),
        ]
        _write_headers(trace, headers, formats)
        trace.set_column(0, 0, 16)
        trace.set_column(1, 2, 20)
        trace.set_column(3, 8, 24)
        trace.set_column(9, 11, 16)
        row = 0
        for event in events:
            for line in event.trace_line_ids:
                row += 1
                trace.write(row, 0, event.name)
                trace.write(row, 1, directions.get(line.direction, ""))
                trace.write(row, 2, kinds.get(line.kind, ""))
                trace.write(row, 3, line.product_id.display_name)
                trace.write(row, 4, line.lot_id.name)
                _write_datetime(self, trace, row, 5, line.lot_id.expiration_date, formats["date"])
                trace.write(row, 6, line.partner_id.display_name or "")
                trace.write(row, 7, line.location_id.complete_name or "")
                trace.write(row, 8, line.picking_id.name or "")
                _write_datetime(self, trace, row, 9, line.date, formats["datetime"])
                trace.write_number(row, 10, line.quantity, formats["number"])
                trace.write(row, 11, line.uom_id.name or "")
        trace.autofilter(0, 0, max(row, 1), len(headers) - 1)

        by_customer = workbook.add_worksheet(self.env._("By Customer"))
        headers = [
            self.env._("Recall"),
            self.env._("Customer"),
            self.env._("Product"),
            self.env._("Lot"),
            self.env._("Net Quantity"),
            self.env._("Unit"),
        ]
        _write_headers(by_customer, headers, formats)
        by_customer.set_column(0, 0, 16)
        by_customer.set_column(1, 3, 28)
        by_customer.set_column(4, 5, 16)
        row = 0
        for event in events:
            totals = defaultdict(float)
            for line in event.trace_line_ids:
                if line.kind in CUSTOMER_KINDS and line.partner_id:
                    totals[(line.partner_id, line.lot_id)] += line.quantity
            for (partner, lot), quantity in sorted(
                totals.items(), key=lambda item: (item[0][0].display_name, item[0][1].name)
            ):
                row += 1
                by_customer.write(row, 0, event.name)
                by_customer.write(row, 1, partner.display_name)
                by_customer.write(row, 2, lot.product_id.display_name)
                by_customer.write(row, 3, lot.name)
                by_customer.write_number(row, 4, quantity, formats["number"])
                by_customer.write(row, 5, lot.product_id.uom_id.name)
        by_customer.autofilter(0, 0, max(row, 1), len(headers) - 1)


class RecallNoticesXlsx(models.AbstractModel):
    """Where each customer notice stands, one row per lot of the notice."""

    _name = "report.recall_management.recall_notices_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Recall Notice Status (XLSX)"

    def generate_xlsx_report(self, workbook, data, events):
        formats = _formats(workbook)
        states = _selection_labels(self.env, "recall.notice", "state")
        sheet = workbook.add_worksheet(self.env._("Notices"))
        headers = [
            self.env._("Recall"),
            self.env._("Notice"),
            self.env._("Customer"),
            self.env._("Contact"),
            self.env._("E-mail"),
            self.env._("Phone (E.164)"),
            self.env._("Invalid Phone"),
            self.env._("Status"),
            self.env._("Sent On"),
            self.env._("Acknowledged On"),
            self.env._("Reminders"),
            self.env._("Product"),
            self.env._("Lot"),
            self.env._("Delivered"),
            self.env._("Reported On Hand"),
            self.env._("To Return"),
            self.env._("Returned"),
            self.env._("Unit"),
        ]
        _write_headers(sheet, headers, formats)
        sheet.set_column(0, 1, 16)
        sheet.set_column(2, 5, 24)
        sheet.set_column(6, 10, 14)
        sheet.set_column(11, 12, 24)
        sheet.set_column(13, 17, 14)
        row = 0
        for event in events:
            for notice in event.notice_ids:
                # A notice without lots still gets its row.
                for line in notice.line_ids or [None]:
                    row += 1
                    sheet.write(row, 0, event.name)
                    sheet.write(row, 1, notice.name)
                    sheet.write(row, 2, notice.partner_id.display_name)
                    sheet.write(row, 3, notice.contact_id.name or "")
                    sheet.write(row, 4, notice.email or "")
                    sheet.write(row, 5, notice.phone_e164 or "")
                    if notice.phone_invalid:
                        sheet.write(row, 6, self.env._("Yes"), formats["red"])
                    else:
                        sheet.write(row, 6, self.env._("No"))
                    sheet.write(row, 7, states.get(notice.state, ""))
                    _write_datetime(self, sheet, row, 8, notice.date_sent, formats["datetime"])
                    _write_datetime(self, sheet, row, 9, notice.date_acknowledged, formats["datetime"])
                    sheet.write_number(row, 10, notice.reminder_count)
                    if line is None:
                        continue
                    sheet.write(row, 11, line.product_id.display_name)
                    sheet.write(row, 12, line.lot_id.name)
                    sheet.write_number(row, 13, line.qty_delivered, formats["number"])
                    sheet.write_number(row, 14, line.qty_reported_on_hand, formats["number"])
                    sheet.write_number(row, 15, line.qty_to_return, formats["number"])
                    sheet.write_number(row, 16, line.qty_returned, formats["number"])
                    sheet.write(row, 17, line.uom_id.name or "")
        sheet.autofilter(0, 0, max(row, 1), len(headers) - 1)
