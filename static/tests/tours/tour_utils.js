/**
 * Steps and checks the complaint tours share: opening a case from the kanban,
 * going back to it, a menu of the app, and what a kanban card tells by its colour.
 */

export function openCase(subject) {
    return [
        {
            content: `open the case "${subject}" from the kanban`,
            trigger: `.o_kanban_record:contains("${subject}")`,
            run: "click",
        },
        {
            trigger: `.o_form_view .o_field_widget[name=subject]:contains("${subject}"), .o_form_view .o_field_widget[name=subject] input`,
        },
    ];
}

/**
 * Back to the kanban, until it shows ``expected``. The web client first shows the
 * cards it kept from the last visit and then the ones it reloads: a tour that
 * changed a case waits for the card as it must be now, not for any card.
 */
export function backToCases(expected = ".o_kanban_view .o_kanban_record") {
    return [
        {
            content: "back to the cases",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item:first-child a",
            run: "click",
        },
        { trigger: expected },
    ];
}

/**
 * Type ``text`` into the autocomplete ``input`` and pick the record it finds. The
 * list that opens on the click shows other records first; the pick waits until
 * every record the list shows matches ``text``: the search of what was typed, as a
 * person waits for it (``text`` finds the one record meant).
 */
export function pickInDropdown(input, text) {
    const others = `li.o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):not(:has(a.text-info)):not(:contains("${text}"))`;
    return [
        { trigger: input, run: `edit ${text}` },
        {
            trigger: `.o-autocomplete--dropdown-menu:not(:has(${others})) li.o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):contains("${text}")`,
            run: "click",
        },
    ];
}

/** Open ``item`` of the app's top menu ``menu`` (both by their XML id). */
export function openMenu(menu, item) {
    return [
        {
            trigger: `.o_main_navbar [data-menu-xmlid="municipal_complaint.${menu}"]`,
            run: "click",
        },
        {
            trigger: `.o-dropdown-item[data-menu-xmlid="municipal_complaint.${item}"]`,
            run: "click",
        },
    ];
}

/**
 * The stage the case form shows as current: a highlighted step of the status bar,
 * or, when the header is full of buttons, the one step it still shows.
 */
export function currentStage(label) {
    return [
        `.o_form_view .o_statusbar_status button[aria-checked="true"]:contains("${label}")`,
        `.o_form_view .o_statusbar_status button.dropdown-toggle:contains("${label}")`,
    ].join(", ");
}

/** The card of the case ``subject`` in the kanban column titled ``column``. */
export function cardInColumn(column, subject) {
    return `.o_kanban_group:has(.o_column_title:contains("${column}")) .o_kanban_record:contains("${subject}")`;
}

/**
 * The colour of the stripe a kanban card shows on its side (the kanban's
 * highlight colour), as ``{r, g, b}``: what a person sees, not only the class.
 */
export function cardStripe(card) {
    const colour = getComputedStyle(card, "::after").borderRightColor;
    const [r, g, b] = (colour.match(/\d+/g) || []).map(Number);
    return { r, g, b, colour };
}

/** Fail the tour with ``message`` unless ``condition`` holds. */
export function check(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}
