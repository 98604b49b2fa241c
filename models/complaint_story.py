import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# A BSN has 9 digits (old ones 8); written as one number or as 1234.56.789.
BSN_PATTERNS = (
    re.compile(r"(?<!\d)\d{8,9}(?!\d)"),
    re.compile(r"(?<!\d)\d{4}[ .]\d{2}[ .]\d{3}(?!\d)"),
)
# Name parts that do not identify anyone: tussenvoegsels and forms of address.
NAME_PARTICLES = {
    "van",
    "der",
    "den",
    "het",
    "ter",
    "ten",
    "de",
    "la",
    "le",
    "von",
    "op",
    "in",
    "t",
    "heer",
    "mevrouw",
    "mevr",
    "dhr",
    "mw",
    "fam",
    "familie",
    "mr",
    "mrs",
    "ms",
    "dr",
    "drs",
    "ir",
    "ing",
}


class MunicipalComplaint(models.Model):
    """Stories (verhalen) for the annual report: a
    coordinator's anonymised summary of a case.

    The annual report is public, so a story is refused when it obviously identifies the
    complainant: their name, e-mail or phone, or a number that looks like a BSN.
    """

    _inherit = "municipal.complaint"

    # a coordinator's field (the lifecycle's guard): a story is published
    is_story = fields.Boolean(
        string="Story for the annual report",
        copy=False,
        help="Tell this case, anonymised, as a story (verhaal) in the annual report.",
    )
    story_title = fields.Char(copy=False)
    story_text = fields.Text(
        copy=False,
        help="An anonymised summary: no names, addresses, dates of birth or BSN.",
    )

    @api.constrains("is_story", "story_title", "story_text", "partner_id")
    def _check_story(self):
        for complaint in self:
            if not complaint.is_story:
                continue
            if (
                not (complaint.story_title or "").strip()
                or not (complaint.story_text or "").strip()
            ):
                raise ValidationError(self.env._("A story needs a title and a text."))
            problem = complaint._find_personal_data_in_story()
            if problem:
                raise ValidationError(
                    self.env._(
                        "The story of %(reference)s contains %(what)s. A story is "
                        "published in the annual report: leave out names, "
                        "addresses, dates of birth and BSN.",
                        reference=complaint.name,
                        what=problem,
                    )
                )

    def _find_personal_data_in_story(self):
        """What personal data the story obviously
        contains, as a phrase, or ``False``."""
        self.ensure_one()
        text = f"{self.story_title or ''}\n{self.story_text or ''}"
        lowered = text.lower()
        partner = self.partner_id
        if partner.name:
            parts = [partner.name] + [
                part
                for part in re.split(r"[\s,.]+", partner.name)
                if len(part) >= 3 and part.lower() not in NAME_PARTICLES
            ]
            for part in parts:
                if re.search(rf"(?<!\w){re.escape(part.lower())}(?!\w)", lowered):
                    return self.env._("the complainant's name")
        if partner.email and partner.email.strip().lower() in lowered:
            return self.env._("the complainant's e-mail address")
        numbers = [
            re.sub(r"\D", "", run) for run in re.findall(r"\d[\d\s.\-()/]*\d", text)
        ]
        phone = re.sub(r"\D", "", partner.phone or "")[-9:]
        if len(phone) >= 6 and any(phone in number for number in numbers):
            return self.env._("the complainant's phone number")
        if any(pattern.search(text) for pattern in BSN_PATTERNS):
            return self.env._("a number that looks like a BSN")
        return False
