/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import { registry } from "@web/core/registry";

// A Chinese hospital opens its recall notice from the e-mail link (access token, not logged in,
// an English browser): the page is in Chinese; it answers and finds its answer recorded.
registry.category("web_tour.tours").add("recall_portal_acknowledge_zh", {
    steps: () => [
        {
            content: "The notice awaits an answer, in Chinese",
            trigger: ".o_recall_notice_state:contains(等待您的答复)",
        },
        {
            content: "What to do, in Chinese",
            trigger: "#recall_notice_instructions h3:contains(您需要做什么)",
        },
        {
            content: "The company that recalls",
            trigger: ".o_recall_notice_company_name:contains(Eastern Star Pharma Distribution Co.)",
        },
        {
            content: "The product's name is shown whole, not cut",
            trigger: "#o_recall_notice_form .o_recall_notice_line .o_recall_product",
            run() {
                if (this.anchor.scrollWidth > this.anchor.clientWidth + 1) {
                    throw new Error("The product name is cut in the table of lots.");
                }
            },
        },
        {
            content: "Quantity of the lot still on hand",
            trigger: "#o_recall_notice_form .o_recall_notice_line input[name^=on_hand_]",
            run: "edit 8",
        },
        {
            content: "Quantity to return",
            trigger: "#o_recall_notice_form .o_recall_notice_line input[name^=to_return_]",
            run: "edit 6",
        },
        {
            content: "Name of the person who answers, labelled in Chinese",
            trigger: "label[for=o_recall_notice_name]:contains(您的姓名)",
        },
        {
            content: "Name of the person who answers",
            trigger: "#o_recall_notice_form input[name=name]",
            run: "edit 王药师",
        },
        {
            content: "A note",
            trigger: "#o_recall_notice_form textarea[name=note]",
            run: "edit 货物已隔离存放在药库",
        },
        {
            content: "Acknowledge the notice",
            trigger: "#o_recall_notice_submit:contains(确认通知)",
            run: "click",
        },
        {
            content: "The answer is recorded, says the page in Chinese",
            trigger: ".o_recall_notice_success:contains(您的答复已记录)",
        },
        {
            content: "The notice is acknowledged",
            trigger: ".o_recall_notice_state:contains(已确认)",
        },
        {
            content: "The answer can be corrected, the name already given",
            trigger: "#o_recall_notice_form input#o_recall_notice_name[value=王药师]",
        },
    ],
});
