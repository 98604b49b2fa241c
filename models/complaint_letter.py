"""Letters are shown before they go: the step that sends a letter to the complainant
(acknowledgment, postponement, referral, conclusion) first shows it, rendered, with
its recipients, and the e-mail's subject and text can be edited.

The preview is the step itself, run and undone: :meth:`_preview_letter` runs the
transition in a savepoint with a recorder in the context, the sending methods record
the letter instead of sending it, and the savepoint is rolled back. So the letter
shows the case exactly as the step would leave it (the new deadline, the decision
date), the step's checks refuse bad input before anything is shown, and nothing
changes. The recorder is a Python object compared by type: a JSON-RPC caller cannot
send one, so no client can make a step skip its letter.
"""

from contextlib import closing

import lxml.html
from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import html_sanitize

LETTER_PREVIEW_KEY = "municipal_complaint_letter_preview"
LETTER_KEYS = frozenset({"subject", "body"})


class _LetterPreview:
    """Collects the letters a step would send during its dry run."""

    def __init__(self):
        self.letters = []


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    # ------------------------------------------------------------------ preview
    def _preview_letter(self, step):
        """Run ``step`` (a callable taking these cases) as a dry run and return the
        letters it would send: a list of dicts with ``complaint``, ``delivery``
        (``email`` or ``post``), ``to``, ``subject``, ``body`` and ``document`` (the
        letter as printed or attached). Errors of the step are raised as they are;
        nothing the step did is kept."""
        preview = _LetterPreview()
        dry = self.with_context(
            **{LETTER_PREVIEW_KEY: preview}, mail_notify_force_send=False
        )
        # a savepoint closed by contextlib.closing is always rolled back
        with closing(self.env.cr.savepoint()):
            step(dry)
        return preview.letters

    def _letter_preview(self):
        """The recorder of a dry run, if this is one."""
        preview = self.env.context.get(LETTER_PREVIEW_KEY)
        return preview if isinstance(preview, _LetterPreview) else None

    def _record_letter(self, template=None, report=None):
        """Record, in the dry run, the letter this case would get: the e-mail of
        ``template`` (with the report it attaches), or the printed ``report``."""
        self.ensure_one()
        partner = self.partner_id
        letter = {"complaint": self.id, "delivery": "email" if template else "post"}
        if template:
            values = template._generate_template(self.ids, ("subject", "body_html"))[
                self.id
            ]
            letter.update(
                to=f"{partner.name} <{partner.email}>",
                subject=values.get("subject") or "",
                body=values.get("body_html") or "",
            )
            report = report or template.report_template_ids[:1]
        else:
            address = partner._display_address(without_company=True)
            letter.update(
                to=", ".join(filter(None, [partner.name, *address.splitlines()])),
                subject="",
                body="",
            )
        letter["document"] = self._render_letter_document(report) if report else ""
        self._letter_preview().letters.append(letter)

    def _render_letter_document(self, report):
        """The letter of ``report`` for this case as HTML, for the preview."""
        self.ensure_one()
        html = self.env["ir.actions.report"]._render_qweb_html(report, self.ids)[0]
        root = lxml.html.fromstring(html)
        pages = root.xpath("//div[contains(concat(' ', @class, ' '), ' page ')]")
        return Markup("").join(
            Markup(lxml.html.tostring(page, encoding="unicode")) for page in pages
        )

    # ------------------------------------------------------------------ sending
    @api.model
    def _edited_letter_values(self, rendered, letter):
        """The ``rendered`` subject and body of a letter, replaced by what was
        edited in the preview (``letter``); the text is sanitized like any e-mail
        body, whoever sent it."""
        unknown = set(letter) - LETTER_KEYS
        if unknown or not (letter.get("body") or "").strip():
            raise UserError(self.env._("The letter needs a text."))
        body = html_sanitize(letter["body"])
        # what the letter states in bold -- the reference, the dates the law counts,
        # who the complaint went to -- stays in it, however it is reworded
        edited = " ".join(lxml.html.fromstring(f"<div>{body}</div>").itertext())
        missing = [
            text
            for text in _bold_texts(rendered["body"])
            if " ".join(text.split()) not in " ".join(edited.split())
        ]
        if missing:
            raise UserError(
                self.env._(
                    "The letter must keep what it states: %(texts)s.",
                    texts=", ".join(missing),
                )
            )
        return {"subject": letter.get("subject") or rendered["subject"], "body": body}

    def _send_edited_letter(self, template, letter, **values):
        """Send ``template`` with the subject and text edited in the preview, through
        the composer as the template would go (its recipients, sender and
        attachments)."""
        self.ensure_one()
        rendered = template._render_field("body_html", self.ids, compute_lang=True)[
            self.id
        ]
        letter = self._edited_letter_values({"subject": "", "body": rendered}, letter)
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
            )
            .create(
                {
                    "subject": letter.get("subject") or False,
                    "body": letter["body"],
                    "message_type": "comment",
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "mail.mt_comment"
                    ),
                    **values,
                }
            )
        )
        return composer._action_send_mail()[1]

    def action_open_acknowledgment_letter(self):
        """Send the acknowledgment of receipt (Awb 9:6) after seeing it."""
        self.ensure_one()
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Acknowledgment of receipt"),
            "res_model": "municipal.complaint.letter.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }


def _bold_texts(body):
    """The texts a letter sets in bold (``<strong>``, ``<b>``)."""
    if not body:
        return []
    root = lxml.html.fromstring(f"<div>{body}</div>")
    texts = ("".join(node.itertext()).strip() for node in root.iter("strong", "b"))
    return [text for text in texts if text]
