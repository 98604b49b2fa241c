/**
 * A working day at the Dienst, in Dutch, as tests/test_ui_tours.py sets it up: the
 * Medewerker, the klachtcoördinator, the Beheerder and the contract partner, each in
 * their own tour.
 */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";
import { backToCases, openCase } from "./tour_utils";

const SUBJECT = "Uitkering te laat betaald";

registry.category("web_tour.tours").add("municipal_complaint_medewerker_tour", {
    url: "/odoo",
    steps: () => [
        // 1. the day starts on my cases, not in Chat
        {
            content: "a Medewerker lands on the cases after logging in",
            trigger: ".o_kanban_view .o_kanban_record",
        },
        {
            content: "with only my own cases",
            trigger: '.o_searchview_facet:contains("Mijn zaken")',
        },
        // 5. the card says what is due and how many working days are left
        {
            content: "the card shows the next deadline in working days",
            trigger: `.o_kanban_record:contains("${SUBJECT}") .o_complaint_next_deadline:contains("Eerste contact"):contains("werkdag")`,
        },
        // 1. the app icon opens the cases too, not the "Nieuwe klacht" dialog
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="municipal_complaint.menu_complaint_root"]',
            run: "click",
        },
        {
            trigger: '.o_kanban_view .o_kanban_record:not(:has(.modal))',
        },
        {
            content: "no dialog opened over the app",
            trigger: "body:not(:has(.modal))",
        },
        // 6. the complainant calls: find the case by the number, however it is written
        {
            trigger: ".o_searchview_input",
            run: "edit +31 6 1122",
        },
        {
            trigger: '.o_searchview_autocomplete .o-dropdown-item:contains("Telefoon")',
            run: "click",
        },
        {
            content: "the case of the caller is found",
            trigger: `.o_kanban_record:contains("${SUBJECT}")`,
        },
        ...openCase(SUBJECT),
        // 4 and 3. the next step: the acknowledgment, shown before it goes
        {
            content: "the one primary button is the acknowledgment",
            trigger: ".o_statusbar_buttons button.btn-primary[name=action_open_acknowledgment_letter]",
            run: "click",
        },
        {
            content: "the letter is shown, addressed with the form of address",
            trigger: '.modal div[name=letter_body]:contains("Geachte heer Yilmaz")',
        },
        {
            trigger: '.modal div[name=letter_to]:contains("f.yilmaz@example.com")',
        },
        {
            content: "the subject can be changed before it goes",
            trigger: ".modal div[name=letter_subject] input",
            run: "edit Bevestiging van uw klacht",
        },
        {
            trigger: ".modal button[name=action_send]",
            run: "click",
        },
        {
            content: "the e-mail went out with the edited subject",
            trigger: '.o-mail-Message:contains("Bevestiging van uw klacht")',
        },
        // 3. then contact: a small step with the date and a note
        {
            trigger: ".o_statusbar_buttons button.btn-primary[name=action_open_contact_wizard]",
            run: "click",
        },
        {
            content: "the contact step asks the date and what was discussed",
            trigger: ".modal div[name=contact_date]",
        },
        {
            trigger: ".modal div[name=note] textarea",
            run: "edit Telefonisch gesproken; uitbetaling volgt vrijdag.",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        // 3. then offer it to the coordinator: closing is theirs
        {
            content: "the next step of a Medewerker is to offer the case for closing",
            trigger: ".o_statusbar_buttons button.btn-primary[name=action_open_offer_wizard]",
            run: "click",
        },
        {
            trigger: ".modal div[name=note] textarea",
            run: "edit Klager is tevreden: informeel afhandelen.",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the case now waits for the coordinator",
            trigger: '.o_form_view div[name=next_step]:contains("coördinator")',
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button.btn-primary:visible))",
        },
        // 6. registering a caller: citizens first, never a colleague
        ...backToCases(),
        {
            trigger: '.o_main_navbar button:contains("Registratie"), .o_main_navbar [data-menu-xmlid="municipal_complaint.menu_complaint_registration"]',
            run: "click",
        },
        {
            trigger: '.o-dropdown-item[data-menu-xmlid="municipal_complaint.menu_complaint_new"]',
            run: "click",
        },
        {
            trigger: ".modal div[name=partner_id] input",
            run: "edit Yilmaz",
        },
        {
            content: "the citizen is offered with e-mail and phone",
            trigger: '.o-autocomplete--dropdown-item:contains("F. Yilmaz"):contains("f.yilmaz@example.com"):contains("06-11223344")',
        },
        {
            content: "the colleague of the same name is not",
            trigger: '.o-autocomplete--dropdown-menu:not(:has(.o-autocomplete--dropdown-item:contains("Y. Yilmaz (collega)")))',
        },
        {
            trigger: '.modal button:contains("Negeren"), .modal .btn-close',
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});

registry.category("web_tour.tours").add("municipal_complaint_coordinator_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "a coordinator lands on all cases",
            trigger: ".o_kanban_view .o_kanban_record",
        },
        {
            content: "all open cases, not only the coordinator's own",
            trigger: '.o_searchview:not(:has(.o_searchview_facet:contains("Mijn zaken"))) .o_searchview_facet:contains("Open")',
        },
        // 3. the next step of a coordinator: close, with hotkey k
        ...openCase("Geen reactie op mijn brief"),
        {
            trigger: '.o_statusbar_buttons button.btn-primary[name=action_open_close_wizard][data-hotkey="k"]',
            run: "click",
        },
        {
            trigger: ".modal div[name=handling] input[data-value=not_handled]",
            run: "click",
        },
        {
            trigger: ".modal div[name=not_handled_reason] input[data-value=trivial]",
            run: "click",
        },
        // 4. the letter before it goes
        {
            trigger: ".modal button[name=action_preview_letter]",
            run: "click",
        },
        {
            content: "the e-mail, addressed without a known form of address",
            trigger: '.modal div[name=letter_body]:contains("Geachte heer/mevrouw De Vries")',
        },
        {
            content: "and the letter it carries, naming the Nationale ombudsman",
            trigger: '.modal div[name=letter_document]:contains("Nationale ombudsman")',
        },
        {
            trigger: ".modal button[name=action_close]",
            run: "click",
        },
        {
            trigger: '.o_form_view .o_field_widget[name=stage_id] button[aria-checked="true"]:contains("Afgehandeld"), .o_form_view .o_statusbar_status button.active:contains("Afgehandeld")',
        },
        ...backToCases(),
        // 4. the postponement letter shows the new date before it goes
        ...openCase("Bezwaar kwijtgeraakt"),
        {
            trigger: ".o_statusbar_buttons button[name=action_open_postpone_wizard]",
            run: "click",
        },
        {
            trigger: ".modal div[name=reason] textarea",
            run: "edit We wachten op het dossier van de belastingdienst.",
        },
        {
            trigger: ".modal button[name=action_preview_letter]",
            run: "click",
        },
        {
            trigger: '.modal div[name=letter_body]:contains("We wachten op het dossier van de belastingdienst")',
        },
        {
            trigger: ".modal button[name=action_back_to_input]",
            run: "click",
        },
        {
            content: "back to the input: nothing was postponed",
            trigger: ".modal div[name=reason] textarea",
        },
        {
            trigger: ".modal button[name=action_preview_letter]",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: '.o-mail-Message:contains("We wachten op het dossier van de belastingdienst")',
        },
        ...backToCases(),
        // 8. the referral tells the complainant, and keeps the promised date
        ...openCase("Coach kwam niet opdagen"),
        {
            trigger: ".o_statusbar_buttons button[name=action_open_referral_wizard]",
            run: "click",
        },
        {
            trigger: ".modal div[name=referral_partner_id] input",
            run: "edit Werkbedrijf",
        },
        {
            trigger: '.o-autocomplete--dropdown-item:contains("Werkbedrijf Oost")',
            run: "click",
        },
        {
            trigger: ".modal button[name=action_preview_letter]",
            run: "click",
        },
        {
            content: "the complainant reads where the complaint went and that the date stands",
            trigger: '.modal div[name=letter_body]:contains("Werkbedrijf Oost"):contains("Dat blijft staan")',
        },
        {
            trigger: ".modal button[name=action_refer]",
            run: "click",
        },
        {
            content: "the promised date is kept on the case",
            trigger: ".o_form_view div[name=promised_deadline]:not(:empty)",
        },
        {
            trigger: ".o_form_view div[name=partner_answer_deadline]:not(:empty)",
        },
    ],
});

registry.category("web_tour.tours").add("municipal_complaint_beheerder_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_kanban_view" },
        // 2. the holidays and closing days: a list, generated ones marked
        {
            trigger: '.o_main_navbar [data-menu-xmlid="municipal_complaint.menu_complaint_configuration"]',
            run: "click",
        },
        {
            trigger: '.o-dropdown-item[data-menu-xmlid="municipal_complaint.menu_complaint_holidays"]',
            run: "click",
        },
        {
            content: "Koningsdag is there, marked as a generated public holiday",
            trigger: '.o_list_view .o_data_row:contains("Koningsdag") div[name=complaint_is_generated] input:checked',
        },
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_data_row.o_selected_row div[name=name] input",
            run: "edit Brugdag",
        },
        {
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            trigger: '.o_list_view .o_data_row:contains("Brugdag")',
        },
        // 2. and from the calendar itself
        {
            trigger: '.o_main_navbar [data-menu-xmlid="municipal_complaint.menu_complaint_configuration"]',
            run: "click",
        },
        {
            trigger: '.o-dropdown-item[data-menu-xmlid="municipal_complaint.menu_complaint_calendar"]',
            run: "click",
        },
        {
            content: "the complaint calendar, in Dutch",
            trigger: '.o_form_view .o_field_widget[name=name] input:value("Werkdagen klachtbehandeling"), .o_form_view div[name=name]:contains("Werkdagen klachtbehandeling")',
        },
        {
            trigger: ".o_form_view button[name=action_open_complaint_closing_days]",
            run: "click",
        },
        {
            trigger: '.o_list_view .o_data_row:contains("Brugdag")',
        },
        // 9. one place for the norms: the settings of the Beheerder
        {
            trigger: '.o_main_navbar [data-menu-xmlid="municipal_complaint.menu_complaint_configuration"]',
            run: "click",
        },
        {
            trigger: '.o-dropdown-item[data-menu-xmlid="municipal_complaint.menu_complaint_deadline_norms"]',
            run: "click",
        },
        {
            trigger: ".modal div[name=complaint_partner_answer_days] input",
        },
        {
            trigger: ".modal div[name=complaint_home_employee] input",
        },
        {
            trigger: '.modal button[special=cancel], .modal .btn-close',
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});

registry.category("web_tour.tours").add("municipal_complaint_partner_portal_tour", {
    steps: () => [
        {
            content: "the partner sees the date to answer by",
            trigger: '#partner_answer_deadline:not(:empty)',
        },
        {
            trigger: '.card-body:contains("Graag uw antwoord vóór")',
        },
        {
            trigger: "#complaint_response",
        },
    ],
});
