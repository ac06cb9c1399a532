/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import { registry } from "@web/core/registry";

// Open a recall from a lot's form and submit it for assessment. (The approval is a quality
// manager's decision, signed when gsp_compliance is installed: the test approves in Python.)
registry.category("web_tour.tours").add("recall_management_recall_from_lot", {
    steps: () => [
        {
            content: "Recall the lot from its form",
            trigger: ".o_form_view button[name=action_new_recall]",
            run: "click",
        },
        {
            content: "The lot is in the scope",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(TOUR-RC-1)",
        },
        {
            content: "Choose the level",
            trigger: ".o_field_widget[name=level_id] input",
            run: "edit Level II",
        },
        {
            content: "Level II",
            trigger: ".o-autocomplete--dropdown-item:contains(Level II)",
            run: "click",
        },
        {
            content: "Submit for assessment",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "The recall waits for its approval",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Assessment)",
        },
    ],
});

// Start an approved recall: trace, quarantine, notices.
registry.category("web_tour.tours").add("recall_management_start_recall", {
    steps: () => [
        {
            content: "Start the recall",
            trigger: ".o_form_view button[name=action_start]:contains(Start Recall)",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal footer .btn-primary",
            run: "click",
        },
        {
            content: "The recall is in progress with its notices prepared",
            trigger:
                ".o_form_view:has(button[name=action_view_notices]) .o_statusbar_status .o_arrow_button_current:contains(In Progress)",
        },
    ],
});
