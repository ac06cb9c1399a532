# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import tagged

from .common import CapaCase


@tagged("post_install", "-at_install")
class TestCapaReport(CapaCase):
    def test_report_has_the_8d_sections(self):
        capa = self.capa_in_verification()
        report = self.env.ref("capa.action_report_capa_record")
        html = str(report._render_qweb_html(report.report_name, capa.ids)[0])
        sections = [
            "D1. Team",
            "D2. Problem description",
            "D3. Containment",
            "D4. Root cause",
            "D5 / D6. Corrective actions",
            "D7. Preventive actions",
            "D8. Verification",
        ]
        for section in sections:
            self.assertIn(section, html)
        self.assertIn(capa.name, html)
        self.assertIn("Retrain the receiving team", html)
        self.assertIn("Pallets stacked too high", html)

    def test_report_prints_as_pdf(self):
        capa = self.capa_in_verification()
        report = self.env.ref("capa.action_report_capa_record").with_context(force_report_rendering=True)
        pdf, report_format = report._render_qweb_pdf(report.report_name, capa.ids)
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
