from odoo import fields, models
from odoo.tools.sql import SQL, drop_view_if_exists

from .complaint import CHANNELS
from .complaint_category import CATEGORY_KINDS
from .complaint_closing import HANDLINGS, JUDGMENTS
from .complaint_deadline import TERM_OUTCOMES
from .complaint_recognition import RECOGNITIONS


class MunicipalComplaintAnalysis(models.Model):
    """Knelpunten: where complaints come from and how the
    Dienst does against the legal term.

    A database view over the stored fields of the cases, so pivots and graphs over
    thousands of cases are one grouped query. The measures are counts per case (1 or 0),
    so any grouping adds them up; ``within_term_rate`` is 100 or 0 for cases whose term
    is decided (within, late or submitted to the Nationale ombudsman) and empty
    otherwise, so its average is the share handled within the term.
    """

    _name = "municipal.complaint.analysis"
    _description = "Complaint analysis (bottlenecks)"
    _auto = False
    _order = "received_date desc"
    _rec_name = "complaint_id"

    complaint_id = fields.Many2one("municipal.complaint", string="Case", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    category_id = fields.Many2one("municipal.complaint.category", readonly=True)
    kind = fields.Selection(CATEGORY_KINDS, readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    user_id = fields.Many2one("res.users", string="Handler", readonly=True)
    respondent_user_id = fields.Many2one(
        "res.users", string="Respondent", readonly=True
    )
    stage_id = fields.Many2one("municipal.complaint.stage", readonly=True)
    received_date = fields.Date(readonly=True)
    closed_date = fields.Date(readonly=True)
    handling = fields.Selection(HANDLINGS, readonly=True)
    judgment = fields.Selection(JUDGMENTS, readonly=True)
    term_outcome = fields.Selection(TERM_OUTCOMES, readonly=True)
    postponed = fields.Boolean(readonly=True)
    is_story = fields.Boolean(string="Story", readonly=True)
    recognition = fields.Selection(
        RECOGNITIONS, string="Recognised as a complaint", readonly=True
    )

    complaint_count = fields.Integer(string="Cases", readonly=True, aggregator="sum")
    closed_count = fields.Integer(string="Closed", readonly=True, aggregator="sum")
    within_term_count = fields.Integer(
        string="Within the term", readonly=True, aggregator="sum"
    )
    late_count = fields.Integer(
        string="After the term", readonly=True, aggregator="sum"
    )
    ombudsman_count = fields.Integer(
        string="To the Nationale ombudsman", readonly=True, aggregator="sum"
    )
    founded_count = fields.Integer(
        string="(Partly) founded",
        readonly=True,
        aggregator="sum",
        help="Formally handled complaints judged founded or partly founded.",
    )
    within_term_rate = fields.Float(
        string="Share within the term (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Of the complaints whose term is decided, the share "
        "handled within the legal term.",
    )
    recognised_rate = fields.Float(
        string="Share recognised (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="The share of the cases that nobody called a complaint: staff or the "
        "detector recognised them (Herken een klacht).",
    )
    detector_rate = fields.Float(
        string="Share found by the detector (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="The share of the cases registered from a signal of the detector.",
    )
    handling_days = fields.Float(
        string="Days to close",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Calendar days from receipt to closing (average).",
    )

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT
                        c.id AS id,
                        c.id AS complaint_id,
                        c.company_id,
                        c.category_id,
                        c.kind,
                        c.channel,
                        c.user_id,
                        c.respondent_user_id,
                        c.stage_id,
                        c.received_date,
                        c.closed_date,
                        c.handling,
                        c.judgment,
                        c.term_outcome,
                        COALESCE(c.postponed, FALSE) AS postponed,
                        COALESCE(c.is_story, FALSE) AS is_story,
                        c.recognition,
                        CASE WHEN c.recognition IN ('staff', 'detector') THEN 100.0
                            ELSE 0.0 END AS recognised_rate,
                        CASE WHEN c.recognition = 'detector' THEN 100.0
                            ELSE 0.0 END AS detector_rate,
                        1 AS complaint_count,
                        CASE WHEN c.closed_date IS NOT NULL THEN 1 ELSE 0 END
                            AS closed_count,
                        CASE WHEN c.term_outcome = 'within' THEN 1 ELSE 0 END
                            AS within_term_count,
                        CASE WHEN c.term_outcome = 'late' THEN 1 ELSE 0 END
                            AS late_count,
                        CASE WHEN c.term_outcome = 'ombudsman' THEN 1 ELSE 0 END
                            AS ombudsman_count,
                        CASE WHEN c.judgment IN ('founded', 'partly_founded') THEN 1
                            ELSE 0 END AS founded_count,
                        CASE
                            WHEN c.term_outcome = 'within' THEN 100.0
                            WHEN c.term_outcome IN ('late', 'ombudsman') THEN 0.0
                        END AS within_term_rate,
                        CASE
                            WHEN c.closed_date IS NOT NULL
                                THEN (c.closed_date - c.received_date)::float
                        END AS handling_days
                    FROM municipal_complaint c
                    WHERE c.active
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
