/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import { registry } from "@web/core/registry";

// An acceptor opens a pending acceptance, records the checks, the arrival temperature and the
// sample, accepts it and signs the conclusion with their password.
registry.category("web_tour.tours").add("gsp_acceptance_sign", {
    steps: () => [
        {
            content: "The acceptance is pending",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Pending)",
        },
        {
            content: "Packaging passes",
            trigger: ".o_field_widget[name=check_packaging] input[data-value=pass]",
            run: "click",
        },
        {
            content: "Labelling passes",
            trigger: ".o_field_widget[name=check_labelling] input[data-value=pass]",
            run: "click",
        },
        {
            content: "Documents pass",
            trigger: ".o_field_widget[name=check_documents] input[data-value=pass]",
            run: "click",
        },
        {
            content: "Arrival temperature",
            trigger: ".o_field_widget[name=arrival_temperature] input",
            run: "edit 5",
        },
        {
            content: "Sampled quantity",
            trigger: ".o_field_widget[name=qty_sampled] input",
            run: "edit 2",
        },
        {
            content: "Accept",
            trigger: ".o_field_widget[name=conclusion] input[data-value=accepted]",
            run: "click",
        },
        {
            content: "Conclude",
            trigger: ".o_form_view .o_form_statusbar button[name=action_gsp_sign]:contains(Conclude)",
            run: "click",
        },
        {
            content: "The signature wizard asks for the password",
            trigger: ".modal .o_field_widget[name=password] input",
            run: "edit admin",
        },
        {
            content: "Reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit All checks passed",
        },
        {
            content: "Sign",
            trigger: ".modal button[name=action_sign]",
            run: "click",
        },
        {
            content: "The acceptance is concluded and signed",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current:contains(Concluded)",
        },
        {
            content: "The signature is shown",
            trigger: ".o_form_view .o_field_widget[name=signature_id]",
        },
    ],
});
