from odoo import fields, models

LETTER_DELIVERIES = [
    ("email", "By e-mail"),
    ("post", "By post: print it"),
    ("none", "No letter"),
]


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
    letter_document = fields.Html(string="The letter", sanitize=False, readonly=True)

    def _compute_letter_copy(self):
        for wizard in self:
            wizard.letter_copy = False

    def _run_letter_step(self, complaint, letter=None):
        """Take the step on ``complaint`` with this wizard's input; ``letter`` is
        the e-mail as edited in the preview."""
        raise NotImplementedError

    def action_preview_letter(self):
        """Show the letter the step would send (the step's checks run first)."""
        self.ensure_one()
        self.write(self._get_letter_preview_values(self.complaint_id))
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
