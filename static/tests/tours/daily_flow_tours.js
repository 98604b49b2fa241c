/**
 * The flows people do every day, in Dutch, one person per tour, as
 * tests/test_ui_daily_flows.py chains them: a phone complaint from the call to its
 * conclusion letter (Medewerker, coordinator, contract partner, coordinator), a
 * citizen filing at /klacht and following it in the portal, and the annual report.
 * Each step waits for what the person sees; nothing waits for a fixed time.
 */
import { registry } from "@web/core/registry";
import { browser } from "@web/core/browser/browser";
import {
    backToCases,
    cardInColumn,
    cardStripe,
    check,
    currentStage,
    openCase,
    openMenu,
    pickInDropdown,
} from "./tour_utils";

// the phone complaint of the chained flow
const CALL = "Re-integratiecoach kwam twee keer niet";
const CALL_TEXT = "Meneer Yilmaz belt: zijn coach van Werkbedrijf Oost kwam twee afspraken niet na.";
// what the coordinator lets the partner read instead: no name
const SHARED_TEXT = "Een deelnemer meldt dat zijn coach twee afspraken niet nakwam.";
const NOTE = "Graag binnen twee weken een nieuwe afspraak met een andere coach.";
const RESPONSE = "Wij hebben excuses gemaakt en een andere coach toegewezen.";
const FINDINGS = "De coach is twee keer niet verschenen zonder af te melden.";
const CONCLUSIONS = "Werkbedrijf Oost heeft een andere coach toegewezen.";
// a case of the Medewerker whose first contact is overdue (tests/test_ui_daily_flows.py)
const OVERDUE = "Brief over de toeslag kwijt";
const REFERENCE = /^KL\/\d{4}\/\d{4,}$/;
// the citizen's complaint on /klacht
const WEB_SUBJECT = "Mijn bezwaar is niet doorgestuurd";
const WEB_TEXT = "Ik heb op 3 maart bezwaar gemaakt, maar de afdeling heeft het nooit ontvangen.";
const WEB_FILE = "ontvangstbewijs-bezwaar.txt";
const WEB_MESSAGE = "Ik heb het ontvangstbewijs van de post nog, zal ik dat langsbrengen?";
// the reference the confirmation showed, for the portal pages that follow
const REFERENCE_KEY = "municipal_complaint_tour_reference";
// the annual report's first table of figures
const FIGURES_BY_KIND =
    '.o_municipal_complaint_figures_preview div.mb-3:has(h5:contains("Alle zaken naar soort"))';

/** Attach ``name`` (a text file) to the file input of the step, as a person picks it. */
function attachTextFile(input, name, text) {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, { type: "text/plain" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

function referenceOf(element) {
    const reference = element.textContent.trim();
    check(REFERENCE.test(reference), `"${reference}" is not a case reference`);
    return reference;
}

registry.category("web_tour.tours").add("municipal_complaint_phone_complaint_tour", {
    url: "/odoo",
    steps: () => {
        let reference;
        return [
            {
                content: "a Medewerker starts on their cases",
                trigger: ".o_kanban_view .o_kanban_record",
            },
            {
                content: "a case whose first contact is late is red, with its label",
                trigger: `${cardInColumn("Ontvangen", OVERDUE)} div[name=deadline_state] .text-bg-danger:contains("Te laat")`,
            },
            // the phone rings: "Nieuwe klacht" over the kanban
            ...openMenu("menu_complaint_registration", "menu_complaint_new"),
            {
                content: "the short form of a new complaint, for a phone call by default",
                trigger: '.modal .modal-title:contains("Nieuwe klacht")',
            },
            {
                trigger: ".modal div[name=subject] input",
                run: `edit ${CALL}`,
            },
            ...pickInDropdown(".modal div[name=partner_id] input", "f.yilmaz@example.com"),
            {
                content: "the caller's number and form of address, to check on the phone",
                trigger: '.modal div[name=partner_phone]:contains("06-11223344")',
            },
            {
                trigger: '.modal div[name=partner_salutation] input:value("De heer")',
            },
            ...pickInDropdown(".modal div[name=category_id] input", "Bejegening"),
            {
                trigger: ".modal div[name=description] .odoo-editor-editable",
                run: `editor ${CALL_TEXT}`,
            },
            {
                content: "register the call",
                trigger: '.modal .modal-footer button[name=action_open_full_case]:contains("Registreren")',
                run: "click",
            },
            {
                content: "the full case opens with its reference",
                trigger: "body:not(:has(.modal))",
            },
            ...openCase(CALL).slice(1),
            {
                trigger: ".o_form_view div.oe_title .o_field_widget[name=name]",
                run() {
                    reference = referenceOf(this.anchor);
                },
            },
            {
                content: "its first step is the acknowledgment of receipt",
                trigger: '.o_form_view .alert-warning:contains("ontvangstbevestiging")',
            },
            {
                trigger: ".o_statusbar_buttons button.btn-primary[name=action_open_acknowledgment_letter]",
                run: "click",
            },
            {
                trigger: ".modal button[name=action_send]",
                run: "click",
            },
            {
                content: "acknowledged: the next step is the contact",
                trigger: ".o_statusbar_buttons button.btn-primary[name=action_open_contact_wizard]",
            },
            // the case on the kanban: in "Ontvangen", with its reference and a green card
            // the new case is in the column Ontvangen, as a phone complaint
            ...backToCases(`${cardInColumn("Ontvangen", CALL)}:contains("Telefoon")`),
            {
                content: "with its reference",
                trigger: `${cardInColumn("Ontvangen", CALL)} span.text-muted.small`,
                run() {
                    check(
                        this.anchor.textContent.trim() === reference,
                        `the card shows "${this.anchor.textContent.trim()}", the case is ${reference}`
                    );
                },
            },
            {
                content: "on track: green, with the days left for the first contact",
                trigger: `${cardInColumn("Ontvangen", CALL)}.o_kanban_color_10 div[name=deadline_state] .text-bg-success:contains("Op schema")`,
            },
            {
                trigger: `${cardInColumn("Ontvangen", CALL)} .o_complaint_next_deadline:contains("Eerste contact vóór"):contains("werkdagen")`,
            },
            {
                content: "the colours a person sees: the new case green, the late one red",
                trigger: `${cardInColumn("Ontvangen", OVERDUE)}.o_kanban_color_1`,
                run() {
                    const late = cardStripe(this.anchor);
                    const fresh = cardStripe(
                        document.querySelector(`.o_kanban_record.o_kanban_color_10`)
                    );
                    check(late.r > late.g, `the late card's stripe is ${late.colour}, not red`);
                    check(fresh.g > fresh.r, `the new card's stripe is ${fresh.colour}, not green`);
                },
            },
            // the complainant was called back: "Contact opgenomen"
            ...openCase(CALL),
            {
                trigger: '.o_statusbar_buttons button.btn-primary[name=action_open_contact_wizard]:contains("Contact opgenomen")',
                run: "click",
            },
            {
                content: "the contact dialog asks the day and what was discussed",
                trigger: '.modal .modal-title:contains("Contact opgenomen")',
            },
            {
                content: "today, which a Medewerker does not change",
                trigger: ".modal div[name=contact_date]:contains(/\\d/):not(:has(input))",
            },
            {
                trigger: ".modal div[name=note] textarea",
                run: "edit Teruggebeld: de coördinator zoekt het uit met het werkbedrijf.",
            },
            {
                trigger: '.modal button[name=action_confirm]:contains("Contact vastleggen")',
                run: "click",
            },
            {
                content: "what was discussed is on the case",
                trigger: '.o_form_view .o-mail-Message:contains("Teruggebeld")',
            },
            {
                content: "the case moved on to Contact opgenomen",
                trigger: currentStage("Contact opgenomen"),
            },
            // on the kanban too, now counting down the legal term
            ...backToCases(
                `${cardInColumn("Contact opgenomen", CALL)} .o_complaint_next_deadline:contains("Wettelijke termijn")`
            ),
        ];
    },
});

registry.category("web_tour.tours").add("municipal_complaint_refer_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_kanban_view .o_kanban_record" },
        ...openCase(CALL),
        {
            trigger: '.o_statusbar_buttons button[name=action_open_referral_wizard]:contains("Doorverwijzen naar partner")',
            run: "click",
        },
        ...pickInDropdown(".modal div[name=referral_partner_id] input", "Werkbedrijf Oost"),
        {
            content: "the partner's contact who will be told",
            trigger: '.modal div[name=contact_ids]:contains("Petra Partner")',
        },
        {
            content: "the coach works for the Dienst: the complaint stays about the Dienst",
            trigger: '.modal label:contains("De klacht gaat over de partner")',
        },
        {
            trigger: ".modal div[name=about_partner] input:checked",
            run: "uncheck",
        },
        {
            content: "the partner reads the text the coordinator confirms, not the call's",
            trigger: ".modal div[name=shared_text] textarea",
            run: `edit ${SHARED_TEXT}`,
        },
        {
            trigger: ".modal div[name=note] textarea",
            run: `edit ${NOTE}`,
        },
        {
            trigger: '.modal button[name=action_preview_letter]:contains("Brief aan de klager tonen")',
            run: "click",
        },
        {
            content: "the notice to the complainant: to whom, and that the Dienst stays responsible",
            trigger: '.modal div[name=letter_body]:contains("Geachte heer Yilmaz"):contains("Werkbedrijf Oost, die dit werk namens ons doen"):contains("Wij blijven verantwoordelijk voor uw klacht")',
        },
        {
            content: "not that the complaint is about the partner",
            trigger: '.modal div[name=letter_body]:not(:contains("omdat uw klacht over hen gaat"))',
        },
        {
            trigger: '.modal div[name=letter_to]:contains("f.yilmaz@example.com")',
        },
        {
            trigger: '.modal button[name=action_refer]:contains("Doorverwijzen")',
            run: "click",
        },
        {
            content: "referred: the partner answers first",
            trigger: '.o_form_view div[name=next_step]:contains("Wacht op het antwoord van de partner")',
        },
        {
            content: "and still a complaint",
            trigger: '.o_form_view div[name=kind]:contains("Klacht")',
        },
        {
            trigger: currentStage("Doorverwezen"),
        },
    ],
});

registry.category("web_tour.tours").add("municipal_complaint_partner_answer_tour", {
    url: "/my",
    steps: () => [
        {
            content: "the partner finds the complaints in their portal",
            trigger: 'a[href="/my/complaints"]:contains("Klachten")',
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: `tr:contains("${CALL}") .badge:contains("Wacht op uw reactie")`,
        },
        {
            trigger: `tr:contains("${CALL}") td:first-child a`,
            run() {
                referenceOf(this.anchor);
                this.anchor.click();
            },
            expectUnloadPage: true,
        },
        {
            content: "the case, with its reference and the date to answer by",
            trigger: '.card-body:contains("Kenmerk") #partner_answer_deadline:not(:empty)',
        },
        {
            content: "the text the coordinator confirmed, and the note",
            trigger: `.card-body:contains("${SHARED_TEXT}"):contains("${NOTE}")`,
        },
        {
            content: "never the complaint as it was told on the phone",
            trigger: `body:not(:contains("${CALL_TEXT}"))`,
        },
        {
            trigger: "#complaint_response",
            run: `edit ${RESPONSE}`,
        },
        {
            trigger: 'label[for=resolved_yes]:contains("De klacht is opgelost")',
        },
        {
            trigger: "#resolved_yes",
            run: "check",
        },
        {
            trigger: '#partner_response button[type=submit]:contains("Reactie versturen")',
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: '.alert-success:contains("Bedankt: uw reactie is naar de Dienst gestuurd")',
        },
        {
            trigger: '.badge:contains("U heeft gemeld: opgelost")',
        },
    ],
});

registry.category("web_tour.tours").add("municipal_complaint_formal_closing_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_kanban_view .o_kanban_record" },
        ...openCase(CALL),
        {
            trigger: '.o_form_view .o_notebook_headers a[name=referral]:contains("Doorverwijzing")',
            run: "click",
        },
        {
            content: "the partner's answer is on the case",
            trigger: `.o_form_view div[name=partner_response]:contains("${RESPONSE}")`,
        },
        {
            trigger: '.o_form_view div[name=partner_resolved] .badge:contains("Opgelost"), .o_form_view div[name=partner_resolved]:contains("Opgelost")',
        },
        {
            content: "the next step: end the mediation",
            trigger: '.o_statusbar_buttons button.btn-primary[name=action_mediation_succeeded]:contains("Bemiddeling geslaagd")',
            run: "click",
        },
        {
            trigger: '.o_form_view div[name=mediation_state]:contains("Geslaagd")',
        },
        {
            content: "then close it, formally",
            trigger: '.o_statusbar_buttons button.btn-primary[name=action_open_close_wizard]:contains("Afhandelen")',
            run: "click",
        },
        {
            trigger: ".modal div[name=handling] input[data-value=formal]",
            run: "click",
        },
        {
            content: "the complainant did not want a hearing",
            trigger: '.modal div[name=hearing] input[data-value=skipped]',
            run: "click",
        },
        {
            trigger: '.modal div[name=hearing] .o_radio_item:has(input[data-value=skipped]:checked) label:contains("De klager is niet gehoord")',
        },
        {
            trigger: ".modal div[name=hearing_skip_reason] input",
            run: "click",
        },
        {
            trigger: '.o_select_menu_item:contains("De klager wil niet worden gehoord")',
            run: "click",
        },
        {
            trigger: '.modal div[name=hearing_skip_reason] input:value("De klager wil niet worden gehoord")',
        },
        {
            trigger: ".modal div[name=judgment] input[data-value=founded]",
            run: "click",
        },
        {
            trigger: ".modal div[name=judgment] .o_radio_item:has(input[data-value=founded]:checked) label:text(Gegrond)",
        },
        {
            trigger: ".modal div[name=findings] .odoo-editor-editable",
            run: `editor ${FINDINGS}`,
        },
        {
            trigger: ".modal div[name=conclusions] .odoo-editor-editable",
            run: `editor ${CONCLUSIONS}`,
        },
        // founded: what was done about it, and the norm that was not met
        ...pickInDropdown(".modal div[name=outcome_ids] input", "Excuses aangeboden"),
        {
            trigger: '.modal div[name=outcome_ids] .o_tag:contains("Excuses aangeboden")',
        },
        ...pickInDropdown(".modal div[name=norm_ids] input", "Eerlijk en betrouwbaar"),
        {
            trigger: '.modal div[name=norm_ids] .o_tag:contains("Eerlijk en betrouwbaar")',
        },
        {
            trigger: '.modal button[name=action_preview_letter]:contains("Brief tonen")',
            run: "click",
        },
        {
            content: "the e-mail to the complainant",
            trigger: '.modal div[name=letter_to]:contains("f.yilmaz@example.com")',
        },
        {
            trigger: '.modal div[name=letter_body]:contains("Geachte heer Yilmaz")',
        },
        {
            content: "and the conclusion letter it carries: judgment, findings, the ombudsman",
            trigger: `.modal div[name=letter_document]:contains("We vinden uw klacht gegrond"):contains("${FINDINGS}"):contains("Nationale ombudsman")`,
        },
        {
            trigger: '.modal button[name=action_close]:contains("Zaak afhandelen")',
            run: "click",
        },
        {
            content: "the conclusion letter is attached to the case, in the chatter",
            trigger: '.o-mail-Message:contains("Geachte heer Yilmaz") .o-mail-AttachmentContainer[title*="Conclusiebrief"]',
        },
        {
            content: "closed",
            trigger: '.o_form_view .ribbon:contains("Afgehandeld")',
        },
        {
            trigger: currentStage("Afgehandeld"),
        },
    ],
});

registry.category("web_tour.tours").add("municipal_complaint_citizen_files_tour", {
    url: "/klacht",
    steps: () => [
        {
            content: "a logged-in citizen finds their name and address filled in",
            trigger: "#complaint_email:value('sanne.burger@example.com')",
        },
        {
            trigger: "#complaint_subject",
            run: `edit ${WEB_SUBJECT}`,
        },
        {
            trigger: "#complaint_description",
            run: `edit ${WEB_TEXT}`,
        },
        {
            content: "with the receipt of the post as an attachment",
            trigger: "#complaint_attachments",
            run() {
                attachTextFile(this.anchor, WEB_FILE, "Ontvangstbewijs aangetekende post, 3 maart.");
            },
        },
        {
            trigger: "#complaint_privacy_accepted",
            run: "check",
        },
        {
            trigger: 'form.o_complaint_form button[type=submit]:contains("Klacht versturen")',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the confirmation, with the reference",
            trigger: 'h1:contains("Bedankt, we hebben uw klacht ontvangen")',
        },
        {
            trigger: "#complaint_reference",
            run() {
                sessionStorage.setItem(REFERENCE_KEY, referenceOf(this.anchor));
            },
        },
        {
            trigger: 'p:contains("We hebben een bevestiging naar uw e-mailadres gestuurd")',
        },
        // following it in the portal
        {
            trigger: "body",
            run: "goToUrl /my",
            expectUnloadPage: true,
        },
        {
            trigger: 'a[href="/my/complaints"]:contains("Klachten")',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the complaint is in the list under the reference the confirmation gave",
            trigger: `tr:contains("${WEB_SUBJECT}") .badge:contains("Ontvangen, we nemen contact met u op")`,
            run() {
                const row = this.anchor.closest("tr");
                const reference = sessionStorage.getItem(REFERENCE_KEY);
                check(
                    row.querySelector("td").textContent.trim() === reference,
                    `the list shows "${row.querySelector("td").textContent.trim()}", the confirmation ${reference}`
                );
                row.querySelector("td a").click();
            },
            expectUnloadPage: true,
        },
        {
            content: "its page: when the Dienst calls and answers",
            trigger: '.card-body:contains("We nemen contact met u op, uiterlijk op"):contains("We beantwoorden uw klacht uiterlijk op")',
        },
        {
            trigger: `.card-body:contains("${WEB_TEXT}")`,
        },
        {
            content: "the file sent with it, in the conversation",
            trigger: `#chatterRoot:shadow .o-mail-Message:contains("Documenten die met de klacht zijn meegestuurd") .o-mail-AttachmentContainer[title="${WEB_FILE}"]`,
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: `edit ${WEB_MESSAGE}`,
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "the message is in the conversation, as the citizen's",
            trigger: `#chatterRoot:shadow .o-mail-Message[data-persistent]:contains("${WEB_MESSAGE}"):contains("Sanne Burger")`,
        },
    ],
});

registry.category("web_tour.tours").add("municipal_complaint_visitor_files_tour", {
    url: "/klacht",
    steps: () => [
        {
            trigger: "#complaint_name",
            run: "edit J. de Boer",
        },
        {
            trigger: "#complaint_email",
            run: "edit j.deboer@example.com",
        },
        {
            trigger: "#complaint_subject",
            run: "edit Loket was dicht op de openingstijd",
        },
        {
            trigger: "#complaint_description",
            run: "edit Ik stond om 9 uur voor een dichte deur, terwijl op de website 9 uur staat.",
        },
        {
            trigger: "#complaint_attachments",
            run() {
                attachTextFile(this.anchor, "foto-deur.txt", "De deur om 9.05 uur, dicht.");
            },
        },
        {
            trigger: "#complaint_privacy_accepted",
            run: "check",
        },
        {
            trigger: 'form.o_complaint_form button[type=submit]:contains("Klacht versturen")',
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: 'h1:contains("Bedankt, we hebben uw klacht ontvangen")',
        },
        {
            trigger: "#complaint_reference",
            run() {
                referenceOf(this.anchor);
            },
        },
    ],
});

registry.category("web_tour.tours").add("municipal_complaint_annual_report_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_kanban_view .o_kanban_record" },
        ...openMenu("menu_complaint_reporting", "menu_complaint_annual_report_wizard"),
        {
            trigger: '.modal .modal-title:contains("Jaarverslag maken")',
        },
        {
            trigger: ".modal div[name=year] input",
            run: "edit 2020",
        },
        {
            trigger: '.modal button[name=action_open_report]:contains("Verslag openen")',
            run: "click",
        },
        {
            content: "the report of 2020, in Dutch",
            trigger: '.o_form_view div[name=name]:contains("Klachtenjaarverslag 2020")',
        },
        {
            content: "its figures, counted from the 2020 register",
            trigger: '.o_municipal_complaint_figures_preview p:contains("In 2020 zijn door de klachtcoördinator 48 zaken behandeld")',
        },
        {
            trigger: `${FIGURES_BY_KIND} tr:has(td:first-child:contains("Doorverwijzing en bemiddeling")) td:nth-child(2):text(26)`,
        },
        {
            trigger: `${FIGURES_BY_KIND} tr:has(td:first-child:text("Echte klachten")) td:nth-child(2):text(14)`,
        },
        {
            trigger: `${FIGURES_BY_KIND} tr:has(td:first-child:text("Totaal")) td:nth-child(2):text(48)`,
        },
        {
            content: "print it: the file the browser receives is the report's PDF",
            trigger: '.o_statusbar_buttons button[name=action_print]:contains("Concept afdrukken")',
            async run(helpers) {
                // the report is made on the server and downloaded from its stored
                // file: follow that download here instead of leaving the page
                const descriptor = Object.getOwnPropertyDescriptor(browser, "location");
                const follow = async (url) => {
                    Object.defineProperty(browser, "location", descriptor);
                    const response = await fetch(url);
                    const disposition = response.headers.get("Content-Disposition") || "";
                    // filename*=UTF-8''<quoted> (RFC 6266), or filename=<plain ASCII>
                    const match = disposition.match(/filename\*?=(?:UTF-8'')?"?([^";]+)/);
                    const name = decodeURIComponent(match?.[1] || "");
                    document.body.dataset.complaintDownload = `${response.status} ${name}`;
                };
                // window.location itself, but for where the download goes
                const location = new Proxy({}, {
                    get(_target, property) {
                        if (property === "assign") {
                            return follow;
                        }
                        const value = window.location[property];
                        return typeof value === "function" ? value.bind(window.location) : value;
                    },
                });
                Object.defineProperty(browser, "location", {
                    configurable: true,
                    get: () => location,
                });
                await helpers.click();
            },
        },
        {
            content: "the download came through, named after the year, the version and the draft",
            trigger: 'body[data-complaint-download^="200 klachtenjaarverslag-2020-v1-concept."]',
        },
    ],
});
