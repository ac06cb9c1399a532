# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class ExpiryReportXlsx(models.AbstractModel):
    """E7: near-expiry and expired stock per warehouse, with quantities and value (OCA report_xlsx).

    Printed from one or more warehouses (Inventory > Expiry > Expiry Report, or the warehouse
    list). One sheet lists every near-expiry or expired lot in stock, location by location; a
    summary sheet totals quantity and value per warehouse and expiry state."""

    _name = "report.batch_expiry.expiry_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Expiry Report (XLSX)"

    def _report_quants(self, warehouses):
        quants = self.env["stock.quant"].search(
            [
                ("location_id.warehouse_id", "in", warehouses.ids),
                ("location_id.usage", "=", "internal"),
                ("lot_id.expiry_state", "in", ("near_expiry", "expired")),
                ("quantity", ">", 0),
            ],
            order="expiration_date, product_id, lot_id, location_id",
        )
        return quants.sorted(lambda quant: quant.warehouse_id.name)

    def generate_xlsx_report(self, workbook, data, warehouses):
        states = dict(self.env["stock.lot"]._fields["expiry_state"]._description_selection(self.env))
        bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF3", "border": 1})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        number = workbook.add_format({"num_format": "#,##0.00"})
        red = workbook.add_format({"font_color": "#B00020"})
        quants = self._report_quants(warehouses)

        detail = workbook.add_worksheet(self.env._("Lots"))
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
            self.env._("Unit Cost"),
            self.env._("Value"),
        ]
        for column, header in enumerate(headers):
            detail.write(0, column, header, bold)
        detail.set_column(0, 3, 24)
        detail.set_column(4, 11, 14)
        totals = {}
        for row, quant in enumerate(quants, start=1):
            lot = quant.lot_id
            value = quant.quantity * quant.product_id.standard_price
            state_format = red if lot.expiry_state == "expired" else None
            detail.write(row, 0, quant.warehouse_id.name)
            detail.write(row, 1, quant.location_id.complete_name)
            detail.write(row, 2, quant.product_id.display_name)
            detail.write(row, 3, lot.name)
            expiry = fields.Datetime.context_timestamp(self, lot.expiration_date).replace(tzinfo=None)
            detail.write_datetime(row, 4, expiry, date_format)
            detail.write_number(row, 5, lot.remaining_shelf_life_days)
            detail.write(row, 6, states[lot.expiry_state], state_format)
            detail.write(row, 7, self.env._("Yes") if lot.is_quarantined else self.env._("No"))
            detail.write_number(row, 8, quant.quantity, number)
            detail.write(row, 9, quant.product_uom_id.name)
            detail.write_number(row, 10, quant.product_id.standard_price, number)
            detail.write_number(row, 11, value, number)
            key = (quant.warehouse_id.name, lot.expiry_state)
            quantity, total = totals.get(key, (0.0, 0.0))
            totals[key] = (quantity + quant.quantity, total + value)
        detail.autofilter(0, 0, max(len(quants), 1), len(headers) - 1)
        detail.freeze_panes(1, 0)

        summary = workbook.add_worksheet(self.env._("Summary"))
        for column, header in enumerate(
            [self.env._("Warehouse"), self.env._("Expiry State"), self.env._("Quantity"), self.env._("Value")]
        ):
            summary.write(0, column, header, bold)
        summary.set_column(0, 1, 24)
        summary.set_column(2, 3, 16)
        for row, ((warehouse, state), (quantity, total)) in enumerate(sorted(totals.items()), start=1):
            summary.write(row, 0, warehouse)
            summary.write(row, 1, states[state])
            summary.write_number(row, 2, quantity, number)
            summary.write_number(row, 3, total, number)
