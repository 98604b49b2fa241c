from odoo import api, fields, models
from odoo.exceptions import UserError

LETTER_DELIVERIES = [
    ("email", "By e-mail"),
    ("post", "By post: print it"),
    ("none", "No letter"),
]

# The mark of the step's own write of the rendered letter: compared by identity, a
# JSON-RPC caller cannot send it.
_RENDERED = object()
RENDERED_KEY = "municipal_complaint_letter_rendered"


class MunicipalComplaintLetterStep(models.AbstractModel):
    """The preview of a step's letter, shared by the wizards of the steps that write
    to the complainant: the wizard first gathers its input, then shows the letter the
    step would send (``municipal.complaint._preview_letter``), and sends it as edited.

    A wizard using it has ``complaint_id`` and implements :meth:`_run_letter_step`.
    """

    _name = "municipal.complaint.letter.step"
    _description = "Preview of a letter to the complainant"

    letter_step = fields.Selection(
        [("input", "Input"), ("preview", "Letter")],
        string="Step",
        default="input",
        required=True,
    )
    preview_delivery = fields.Selection(
        LETTER_DELIVERIES, string="Letter to the complainant", readonly=True
    )
    letter_to = fields.Char(string="To", readonly=True)
    letter_copy = fields.Char(
        string="Copy to",
        compute="_compute_letter_copy",
        help="The respondent (beklaagde) gets a copy (Awb 9:9).",
    )
    letter_subject = fields.Char(string="Subject")
    letter_body = fields.Html(string="E-mail", sanitize_style=True)
    # the letter as printed, styles included: not sanitized, so only the server
    # writes it (create, write and default_get refuse it from anyone else)
    letter_document = fields.Html(string="The letter", sanitize=False, readonly=True)

    def _compute_letter_copy(self):
        for wizard in self:
            wizard.letter_copy = False

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # not from the context's defaults either: a client controls the context
        values.pop("letter_document", None)
        return values

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_letter_document(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_letter_document(vals)
        return super().write(vals)

    def _check_letter_document(self, vals):
        """The letter shown in the dialog is the one the server rendered: nobody
        writes their own HTML into it, which the dialog would show unsanitized."""
        if "letter_document" in vals and self.env.context.get(RENDERED_KEY) is not (
            _RENDERED
        ):
            raise UserError(
                self.env._("The letter is rendered from the case and cannot be edited.")
            )

    def _run_letter_step(self, complaint, letter=None):
        """Take the step on ``complaint`` with this wizard's input; ``letter`` is
        the e-mail as edited in the preview."""
        raise NotImplementedError

    def action_preview_letter(self):
        """Show the letter the step would send (the step's checks run first)."""
        self.ensure_one()
        self.with_context(**{RENDERED_KEY: _RENDERED}).write(
            self._get_letter_preview_values(self.complaint_id)
        )
        return self._reopen_letter_step()

    def _get_letter_preview_values(self, complaint):
        """The preview fields for the letter the step would send on ``complaint``."""
        letters = complaint._preview_letter(self._run_letter_step)
        letter = letters[0] if letters else {}
        return {
            "letter_step": "preview",
            "preview_delivery": letter.get("delivery", "none"),
            "letter_to": letter.get("to", False),
            "letter_subject": letter.get("subject", False),
            "letter_body": letter.get("body", False),
            "letter_document": letter.get("document", False),
        }

    def action_back_to_input(self):
        self.ensure_one()
        self.letter_step = "input"
        return self._reopen_letter_step()

    def _confirm_letter_step(self):
        """Take the step, with the letter as shown and edited."""
        self.ensure_one()
        letter = None
        if self.letter_step == "preview" and self.preview_delivery == "email":
            letter = {"subject": self.letter_subject, "body": self.letter_body}
        return self._run_letter_step(self.complaint_id, letter)

    def _reopen_letter_step(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(reference)s: the letter to the complainant",
                reference=self.complaint_id.display_name,
            )
            if self.letter_step == "preview"
            else self.complaint_id.display_name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": dict(self.env.context),
        }
