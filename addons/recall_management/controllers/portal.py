# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import math
import re

from markupsafe import Markup
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager

# Form fields of the acknowledgement: one pair per notice line, e.g. "on_hand_12" / "to_return_12".
LINE_FIELD = re.compile(r"^(on_hand|to_return)_(\d+)$")
HISTORY_KEY = "my_recall_notices_history"


class RecallNoticePortal(CustomerPortal):
    """Customers read their recall notices and acknowledge them (quantities on hand and to return)
    on the portal, logged in or through the link of the notice e-mail (access token)."""

    # --- Home and list -----------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "recall_notice_count" in counters:
            notices = request.env["recall.notice"]
            count = 0
            if notices.has_access("read"):
                count = notices.search_count(self._prepare_recall_notices_domain())
            values["recall_notice_count"] = count
        return values

    def _prepare_recall_notices_domain(self):
        """The notices addressed to the user's company; record rules narrow it further."""
        return [
            ("partner_id", "=", request.env.user.partner_id.commercial_partner_id.id),
            ("state", "not in", ("draft", "cancelled")),
            ("is_mock", "=", False),
        ]

    def _get_recall_notice_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Date Sent"), "order": "date_sent desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, date_sent desc, id desc"},
        }

    @http.route(
        ["/my/recall_notices", "/my/recall_notices/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_recall_notices(self, page=1, sortby=None, **kw):
        notices = request.env["recall.notice"]
        searchbar_sortings = self._get_recall_notice_searchbar_sortings()
        if sortby not in searchbar_sortings:
            sortby = "date"
        domain = self._prepare_recall_notices_domain() if notices.has_access("read") else [("id", "=", 0)]
        pager = portal_pager(
            url="/my/recall_notices",
            url_args={"sortby": sortby},
            total=notices.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        notices = notices.search(
            domain,
            order=searchbar_sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session[HISTORY_KEY] = notices.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo: the notices were searched as the user (record rules apply); their recall's
                # reference and title are shown, and portal users cannot read recalls themselves.
                "notices": notices.sudo(),
                "page_name": "recall_notice",
                "pager": pager,
                "default_url": "/my/recall_notices",
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
            }
        )
        return request.render("recall_management.portal_my_recall_notices", values)

    # --- One notice --------------------------------------------------------------------------
    def _recall_notice_check_access(self, notice_id, access_token=None):
        """The notice, as superuser, if the user may read it or holds its token. A token does not
        open a notice that is not (or no longer) addressed to the customer: draft, cancelled, mock."""
        notice_sudo = self._document_check_access("recall.notice", notice_id, access_token=access_token)
        if (notice_sudo.state in ("draft", "cancelled") or notice_sudo.is_mock) and not request.env[
            "recall.notice"
        ].browse(notice_id).has_access("read"):
            raise AccessError(request.env._("This recall notice is not available."))
        return notice_sudo

    def _recall_notice_in_page_lang(self, notice_sudo):
        """The notice in the language of its pages. Whoever opens the link of the notice e-mail
        without being logged in reads the page, the letter and the answers to the form in the
        language the e-mail was written in (the customer's, see recall.notice._notice_lang()),
        whatever the browser's or the language cookie's. Logged-in users keep their own."""
        if not request.env.user._is_public():
            return notice_sudo
        lang = notice_sudo._notice_lang()
        request.update_context(lang=lang)
        return notice_sudo.with_context(lang=lang)

    def _recall_notice_messages(self):
        return {"acknowledged": request.env._("Thank you: your answer has been recorded.")}

    def _recall_notice_page_values(
        self, notice_sudo, access_token, message=None, error=None, form_values=None
    ):
        digits = request.env["decimal.precision"].precision_get("Product Unit of Measure")

        def as_input(quantity):
            return (f"{quantity:.{digits}f}".rstrip("0").rstrip(".")) if digits else f"{quantity:.0f}"

        input_values = {}
        if notice_sudo.date_acknowledged:
            for line in notice_sudo.line_ids:
                input_values[f"on_hand_{line.id}"] = as_input(line.qty_reported_on_hand)
                input_values[f"to_return_{line.id}"] = as_input(line.qty_to_return)
        values = {
            "notice": notice_sudo,
            "page_name": "recall_notice",
            "report_type": "html",
            "message": self._recall_notice_messages().get(message),
            "error": error,
            "form_values": form_values or {},
            "input_values": input_values,
            "input_max": {line.id: as_input(line.qty_delivered) for line in notice_sudo.line_ids},
            "can_answer": notice_sudo.state in ("sent", "acknowledged"),
            # A visitor correcting an answer finds the name given with it; a logged-in user, theirs.
            "default_name": (notice_sudo.acknowledged_by or "")
            if request.env.user._is_public()
            else request.env.user.name,
            # The layout shows this company's logo and name, not the public user's company.
            "res_company": notice_sudo.company_id,
            # The page's language, for the browser and for the terms of the page's scripts.
            "html_data": {"lang": request.env.lang.replace("_", "-")},
        }
        return self._get_page_view_values(
            notice_sudo, access_token, values, HISTORY_KEY, request.env.user._is_public()
        )

    @http.route(["/my/recall_notices/<int:notice_id>"], type="http", auth="public", website=True)
    def portal_recall_notice_page(
        self, notice_id, access_token=None, report_type=None, download=False, message=None, **kw
    ):
        try:
            notice_sudo = self._recall_notice_check_access(notice_id, access_token)
        except (AccessError, MissingError):
            # Another customer's notice, a wrong token or no notice at all: the same 404, which
            # tells nothing about which notices exist.
            return request.not_found()
        notice_sudo = self._recall_notice_in_page_lang(notice_sudo)
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=notice_sudo,
                report_type=report_type,
                report_ref="recall_management.action_report_recall_notice",
                download=download,
            )
        values = self._recall_notice_page_values(notice_sudo, access_token, message=message)
        return request.render("recall_management.portal_recall_notice_page", values)

    # --- Acknowledgement ---------------------------------------------------------------------
    def _parse_recall_answers(self, notice_sudo, post):
        """{notice line: (on hand, to return)} from the posted form, or raise UserError."""
        lines = {line.id: line for line in notice_sudo.line_ids}
        raw = {}
        for key, value in post.items():
            match = LINE_FIELD.match(key)
            if not match:
                continue
            line_id = int(match.group(2))
            if line_id not in lines:
                raise UserError(request.env._("The answer refers to a lot that is not on this notice."))
            raw.setdefault(lines[line_id], {})[match.group(1)] = value
        answers = {}
        for line in notice_sudo.line_ids:
            quantities = []
            for field in ("on_hand", "to_return"):
                value = (raw.get(line, {}).get(field) or "").strip()
                if not value:
                    raise UserError(
                        request.env._(
                            "Lot %(lot)s: give the quantity on hand and the quantity to return (0 if none).",
                            lot=line.lot_id.name,
                        )
                    )
                try:
                    quantity = float(value)
                except ValueError:
                    quantity = math.nan
                # Infinity and numbers too large for a float ("1e999") are numbers: the notice
                # refuses them as more than the customer received.
                if math.isnan(quantity):
                    shown = value if len(value) <= 20 else value[:20] + "…"
                    raise UserError(
                        request.env._(
                            "Lot %(lot)s: %(value)s is not a number.", lot=line.lot_id.name, value=shown
                        )
                    )
                quantities.append(quantity)
            answers[line] = tuple(quantities)
        return answers

    def _recall_team_lang(self, notice_sudo):
        """The language of the recall's owner, in which the answer is logged on the notice."""
        return notice_sudo.event_id.user_id.lang or notice_sudo.company_id.partner_id.lang

    def _post_recall_acknowledgement(self, notice_sudo, answers, name, note):
        """Log the answer on the notice, as the customer, in the language of the recall's owner."""
        if request.env.user._is_public():
            author = notice_sudo.contact_id or notice_sudo.partner_id
        else:
            author = request.env.user.partner_id
        env = notice_sudo.with_context(lang=self._recall_team_lang(notice_sudo)).env
        items = Markup().join(
            Markup("<li>%s</li>")
            % env._(
                "%(product)s, lot %(lot)s: %(on_hand)s %(uom)s on hand, %(to_return)s %(uom)s to return",
                product=line.product_id.display_name,
                lot=line.lot_id.name,
                on_hand=on_hand,
                to_return=to_return,
                uom=line.uom_id.name,
            )
            for line, (on_hand, to_return) in answers.items()
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            env._("Recall notice acknowledged on the portal by %(name)s.", name=name),
            items,
        )
        if note:
            body += Markup("<p>%s</p>") % env._("Note: %(note)s", note=note)
        notice_sudo.message_post(
            author_id=author.id,
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    @http.route(
        ["/my/recall_notices/<int:notice_id>/acknowledge"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_recall_notice_acknowledge(self, notice_id, access_token=None, **post):
        # auth="public" routes run on a read/write cursor by default (only auth="none" ones are
        # read-only in Odoo 18), so the answer can be written here.
        try:
            notice_sudo = self._recall_notice_check_access(notice_id, access_token)
        except (AccessError, MissingError):
            return request.not_found()
        notice_sudo = self._recall_notice_in_page_lang(notice_sudo)
        name = (post.get("name") or "").strip()
        note = (post.get("note") or "").strip()
        form_values = {key: value for key, value in post.items() if key != "csrf_token"}
        try:
            if not name:
                if request.env.user._is_public():
                    raise UserError(request.env._("Give your name: it is recorded with your answer."))
                name = request.env.user.name
            if notice_sudo.state not in ("sent", "acknowledged"):
                raise UserError(
                    request.env._("This recall notice is closed: it can no longer be answered here.")
                )
            answers = self._parse_recall_answers(notice_sudo, post)
            # Checked here so that the customer reads why in the language of the page; the answer
            # is then written in the language of the recall team, whose history records it.
            notice_sudo._check_answer_quantities(answers)
            team_notice = notice_sudo.with_context(lang=self._recall_team_lang(notice_sudo))
            # Savepoint: a refused answer leaves the notice as it was.
            with request.env.cr.savepoint():
                team_notice._acknowledge(answers, name=name, note=note or None)
                self._post_recall_acknowledgement(notice_sudo, answers, name, note)
        except UserError as error:
            values = self._recall_notice_page_values(
                notice_sudo, access_token, error=error.args[0], form_values=form_values
            )
            return request.render("recall_management.portal_recall_notice_page", values)
        query = {"message": "acknowledged"}
        if access_token:
            query["access_token"] = access_token
        return request.redirect(f"{notice_sudo.access_url}?{url_encode(query)}")
