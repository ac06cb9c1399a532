# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import re
from datetime import date, datetime

from odoo import models

# Characters Excel refuses in sheet names.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class GspLedgerXlsx(models.AbstractModel):
    """G7: an inspection ledger as XLSX, from the ledger wizard (gsp.ledger.wizard).

    The first sheet says which ledger, company and period, when it was printed and, for the audit
    trail, the verdict of the chain verification; then one sheet per table of the ledger, with the
    same rows as the PDF (``gsp.ledger.wizard._ledger_data``)."""

    _name = "report.gsp_compliance.gsp_ledger_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Inspection Ledger (XLSX)"

    def _sheet_name(self, title, used):
        name = SHEET_NAME_FORBIDDEN.sub(" ", title)[:31].strip() or "Sheet"
        candidate, number = name, 2
        while candidate.lower() in used:
            suffix = f" ({number})"
            candidate = name[: 31 - len(suffix)] + suffix
            number += 1
        used.add(candidate.lower())
        return candidate

    def generate_xlsx_report(self, workbook, data, wizards):
        formats = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "bold": workbook.add_format({"bold": True}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#E8EEF3", "border": 1, "text_wrap": True}
            ),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "number": workbook.add_format({"num_format": "#,##0.00"}),
            "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
            "ok": workbook.add_format({"bold": True, "font_color": "#1B5E20"}),
            "broken": workbook.add_format({"bold": True, "font_color": "#B00020"}),
        }
        used = set()
        for wizard in wizards:
            ledger = wizard._ledger_data()
            self._write_cover(workbook, wizard, ledger, formats, used)
            for section in ledger["sections"]:
                self._write_section(workbook, wizard, ledger, section, formats, used)

    def _write_cover(self, workbook, wizard, ledger, formats, used):
        sheet = workbook.add_worksheet(self._sheet_name(self.env._("Ledger"), used))
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 70)
        sheet.write(0, 0, ledger["title"], formats["title"])
        facts = [
            (self.env._("Company"), wizard.company_id.name),
            (self.env._("Period"), wizard._ledger_period_text()),
            (self.env._("Printed On"), wizard._printed_on()),
            (self.env._("Printed By"), self.env.user.name),
        ]
        row = 2
        for label, value in facts:
            sheet.write(row, 0, label, formats["bold"])
            sheet.write(row, 1, value)
            row += 1
        verdict = ledger.get("verdict")
        if verdict:
            sheet.write(row, 0, self.env._("Verification"), formats["bold"])
            sheet.write(row, 1, verdict["text"], formats["ok" if verdict["ok"] else "broken"])
            row += 1
        for note in ledger.get("notes") or []:
            row += 1
            sheet.write(row, 0, note)

    def _write_section(self, workbook, wizard, ledger, section, formats, used):
        sheet = workbook.add_worksheet(self._sheet_name(section["title"], used))
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.set_header(
            "&L&B{}&R{}".format(
                f"{ledger['title']} – {section['title']}".replace("&", "&&"),
                f"{wizard.company_id.name} – {wizard._ledger_period_text()}".replace("&", "&&"),
            )
        )
        sheet.set_footer("&R&P / &N")
        headers = section["headers"]
        widths = section.get("widths")
        for column, header in enumerate(headers):
            sheet.write(0, column, header, formats["header"])
            width = max(12, min(40, len(header) + 4))
            if widths:  # the PDF's shares of the page
                width = max(width, min(70, round(widths[column] * 1.8)))
            sheet.set_column(column, column, width)
        for row, values in enumerate(section["rows"], start=1):
            for column, value in enumerate(values):
                self._write_cell(sheet, row, column, value, formats)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(section["rows"]), 1), max(len(headers) - 1, 0))

    def _write_cell(self, sheet, row, column, value, formats):
        if value is None or value is False:
            sheet.write_blank(row, column, None)
        elif isinstance(value, datetime):
            sheet.write_datetime(row, column, value, formats["datetime"])
        elif isinstance(value, date):
            sheet.write_datetime(row, column, datetime.combine(value, datetime.min.time()), formats["date"])
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value)
        elif isinstance(value, int):
            sheet.write_number(row, column, value)
        elif isinstance(value, float):
            sheet.write_number(row, column, value, formats["number"])
        else:
            text = str(value)
            if "\n" in text:  # one change per line (the audit trail)
                sheet.write_string(row, column, text, formats["wrap"])
            else:
                sheet.write_string(row, column, text)
