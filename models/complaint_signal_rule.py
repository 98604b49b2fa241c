from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .complaint_signal_detector import GAP, PUNCTUATION, tokenize


class MunicipalComplaintSignalRule(models.Model):
    """A weighted Dutch phrase that hints at dissatisfaction ("Herken een klacht").

    Administrators maintain these: the detector (``complaint_signal_detector``) matches
    the phrase on the lemmas of a message's words, so one rule covers the inflected
    forms ("klacht" also finds "klachten"). A negative weight damps the score (thanks,
    satisfaction). Rules without a company hold for every company.
    """

    _name = "municipal.complaint.signal.rule"
    _description = "Complaint recognition rule"
    _order = "weight desc, phrase, id"
    _rec_name = "phrase"

    phrase = fields.Char(
        required=True,
        help="Dutch words as a citizen would write them, e.g. 'niet teruggebeld'. "
        "Inflected forms match too. '...' stands for up to four other words.",
    )
    weight = fields.Float(
        required=True,
        default=0.5,
        digits=(3, 2),
        help="How sure this phrase alone makes us that the message is a complaint, "
        "between 0 and 1 (1: certain). A negative weight (down to -1) lowers the "
        "score, for thanks and satisfaction.",
    )
    note = fields.Char(help="Why this phrase is a hint, for the next administrator.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to use the rule in every company.",
    )

    @api.constrains("phrase", "weight")
    def _check_phrase_and_weight(self):
        for rule in self:
            words = [
                token
                for token in tokenize(rule.phrase or "")
                if token != GAP and token not in PUNCTUATION
            ]
            if not words:
                raise ValidationError(
                    self.env._("A recognition rule needs at least one word.")
                )
            if not -1 <= rule.weight <= 1 or not rule.weight:
                raise ValidationError(
                    self.env._(
                        "The weight of '%(phrase)s' must lie between -1 and 1 "
                        "and cannot be 0.",
                        phrase=rule.phrase,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
