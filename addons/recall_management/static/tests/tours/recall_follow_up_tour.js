/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import { registry } from "@web/core/registry";

// The recall's owner, on the recall's form, after a customer acknowledged on the portal: the
// acknowledgement is in the chatter and in the owner's inbox.
registry.category("web_tour.tours").add("recall_owner_sees_acknowledgement", {
    steps: () => [
        {
            content: "The customer's acknowledgement is on the recall's chatter",
            trigger:
                ".o-mail-Chatter .o-mail-Message:contains(Pharmacy Alpha acknowledged):contains(Jane Pharmacist)",
        },
        {
            content: "The owner has a notification",
            trigger: ".o_menu_systray .o-mail-MessagingMenu-counter",
            run: "click",
        },
        {
            content: "The recall is in the owner's notifications",
            trigger: ".o-mail-NotificationItem:contains(RC/)",
            run: "click",
        },
        {
            content: "Opened from there, it shows the acknowledgement",
            trigger: ".o-mail-Message:contains(Pharmacy Alpha acknowledged):contains(Jane Pharmacist)",
        },
    ],
});

// The KPI dashboard opens on a chart with data (recalls by level and state), not a sample.
registry.category("web_tour.tours").add("recall_kpi_dashboard", {
    steps: () => [
        {
            content: "The dashboard's chart is drawn from real recalls",
            trigger: ".o_graph_view:not(.o_view_sample_data) .o_graph_canvas_container canvas",
        },
    ],
});
