/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import { registry } from "@web/core/registry";

// Create a CAPA, investigate it, plan a corrective action and move it to implementation.
registry.category("web_tour.tours").add("capa_create_to_implementation", {
    url: "/odoo/capa",
    steps: () => [
        {
            content: "Create a CAPA",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Describe it",
            trigger: ".o_field_widget[name=title] input",
            run: "edit Tour: expired lot found in the picking zone",
        },
        {
            content: "Source: deviation",
            trigger: ".o_field_widget[name=source_type] select",
            run: 'select "deviation"',
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Start the investigation",
            trigger: "button[name=action_start_investigation]",
            run: "click",
        },
        {
            content: "The CAPA is under investigation",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Investigation)",
        },
        {
            content: "Open the Investigation tab",
            trigger: ".o_notebook .nav-link[name=investigation]",
            run: "click",
        },
        {
            content: "Write the root cause",
            trigger: ".o_field_widget[name=root_cause] .odoo-editor-editable",
            run: "editor The pickers do not see expiry dates on the shelf labels.",
        },
        {
            content: "Open the Action Plan tab",
            trigger: ".o_notebook .nav-link[name=action_plan]",
            run: "click",
        },
        {
            content: "Add an action",
            trigger: ".o_field_widget[name=action_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=action_ids] .o_data_row .o_field_widget[name=name] input",
            run: "edit Print expiry dates on the shelf labels",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Start the implementation",
            trigger: ".o_form_saved button[name=action_start_implementation]",
            run: "click",
        },
        {
            content: "The CAPA is in implementation",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Implementation)",
        },
    ],
});
