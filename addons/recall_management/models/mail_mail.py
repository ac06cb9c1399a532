# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class MailMail(models.Model):
    _inherit = "mail.mail"

    recall_letter_pending = fields.Boolean(
        help="A recall notice whose PDF letter is rendered and attached when the mail is sent."
    )

    def _send(self, *args, **kwargs):
        self._attach_recall_letters()
        return super()._send(*args, **kwargs)

    def _attach_recall_letters(self):
        """Render the PDF letter of each pending recall notice and attach it to its mail.

        Letters are made when the queue sends the mails, not when the notices are queued: queueing
        ten thousand notices then takes seconds, and each letter shows the notice as it is sent."""
        pending = self.filtered(lambda mail: mail.recall_letter_pending and mail.model == "recall.notice")
        if not pending:
            return
        report = self.env.ref("recall_management.action_report_recall_notice")
        notices = self.env["recall.notice"].browse(pending.mapped("res_id")).exists()
        notice_by_id = {notice.id: notice for notice in notices}
        for mail in pending:
            notice = notice_by_id.get(mail.res_id)
            if not notice:
                mail.recall_letter_pending = False
                continue
            pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(report, notice.ids)
            attachment = self.env["ir.attachment"].create(
                {
                    "name": f"{notice._get_report_base_filename()}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": "recall.notice",
                    "res_id": notice.id,
                }
            )
            mail.write(
                {"attachment_ids": [fields.Command.link(attachment.id)], "recall_letter_pending": False}
            )
