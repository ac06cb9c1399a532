/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import { registry } from "@web/core/registry";

// Quarantine a lot from its form, with a reason.
registry.category("web_tour.tours").add("batch_expiry_quarantine_lot", {
    steps: () => [
        {
            content: "The lot is not quarantined yet",
            trigger: ".o_form_view:not(:has(.ribbon:contains(Quarantined))) button[name=action_open_quarantine_wizard]",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Broken seals found during the cycle count",
        },
        {
            content: "Quarantine",
            trigger: ".modal footer button[name=action_confirm]:contains(Quarantine)",
            run: "click",
        },
        {
            content: "The quarantine transfer is shown",
            trigger: ".o_list_view .o_data_row:contains(Done)",
        },
    ],
});
