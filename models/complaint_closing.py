from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import is_html_empty

HANDLINGS = [
    ("informal", "Informal (Awb 9:5)"),
    ("formal", "Formal (Awb 9:12)"),
    ("not_handled", "Not handled (Awb 9:8)"),
]

JUDGMENTS = [
    ("founded", "Founded"),
    ("partly_founded", "Partly founded"),
    ("unfounded", "Unfounded"),
    ("no_judgment", "No judgment"),
]


class MunicipalComplaint(models.Model):
    """How a case was handled and what it led to.

    The constraints here hold for every entry path (form, RPC, import of a historic
    register); the richer requirements of the closing step live in the closing wizard.
    """

    _inherit = "municipal.complaint"

    handling = fields.Selection(HANDLINGS, tracking=True, copy=False)
    judgment = fields.Selection(JUDGMENTS, tracking=True, copy=False)
    outcome_ids = fields.Many2many(
        "municipal.complaint.outcome",
        string="Outcomes",
        copy=False,
    )
    resolution_note = fields.Html(
        string="Resolution",
        copy=False,
        help="How the case was resolved; for an informal handling, how it was resolved "
        "to the complainant's satisfaction (Awb 9:5).",
    )

    @api.constrains("handling", "judgment", "resolution_note")
    def _check_handling(self):
        for complaint in self:
            if complaint.handling == "formal" and not complaint.judgment:
                raise ValidationError(
                    self.env._(
                        "A formally handled complaint needs a judgment (Awb 9:12)."
                    )
                )
            if complaint.handling == "informal" and is_html_empty(
                complaint.resolution_note
            ):
                raise ValidationError(
                    self.env._(
                        "An informally handled complaint needs a note on how it was "
                        "resolved (Awb 9:5)."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        complaints._sync_closed_date()
        return complaints

    def write(self, vals):
        result = super().write(vals)
        if "stage_id" in vals and "closed_date" not in vals:
            self._sync_closed_date()
        return result

    def _sync_closed_date(self):
        """A case moved into a closing stage gets its closed date; moved out, it loses
        it."""
        today = fields.Date.context_today(self)
        self.filtered(lambda c: c.stage_id.is_closed and not c.closed_date).write(
            {"closed_date": today}
        )
        self.filtered(lambda c: not c.stage_id.is_closed and c.closed_date).write(
            {"closed_date": False}
        )
