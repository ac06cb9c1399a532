/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import { registry } from "@web/core/registry";

// A customer opens the recall notice from the e-mail link (access token, not logged in) and
// answers it: quantity on hand and to return for the lot, its name, then submits.
registry.category("web_tour.tours").add("recall_portal_acknowledge", {
    steps: () => [
        {
            content: "The notice awaits an answer",
            trigger: ".o_recall_notice_state:contains(Awaiting your answer)",
        },
        {
            content: "Quantity of the lot still on hand",
            trigger: "#o_recall_notice_form .o_recall_notice_line input[name^=on_hand_]",
            run: "edit 7",
        },
        {
            content: "Quantity to return",
            trigger: "#o_recall_notice_form .o_recall_notice_line input[name^=to_return_]",
            run: "edit 6",
        },
        {
            content: "Name of the person who answers",
            trigger: "#o_recall_notice_form input[name=name]",
            run: "edit Jane Pharmacist",
        },
        {
            content: "A note",
            trigger: "#o_recall_notice_form textarea[name=note]",
            run: "edit Kept apart in the back room",
        },
        {
            content: "Acknowledge the notice",
            trigger: "#o_recall_notice_submit",
            run: "click",
        },
        {
            content: "The answer is recorded",
            trigger: ".o_recall_notice_success",
        },
        {
            content: "The notice is acknowledged, by the person who answered",
            trigger: ".o_recall_notice_state:contains(Acknowledged)",
        },
        {
            content: "Who acknowledged is shown",
            trigger: ".o_recall_notice_acknowledged:contains(Jane Pharmacist)",
        },
    ],
});
