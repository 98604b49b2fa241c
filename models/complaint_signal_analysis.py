from odoo import fields, models
from odoo.tools.sql import SQL, drop_view_if_exists

from .complaint_signal import SIGNAL_STATES


class MunicipalComplaintSignalAnalysis(models.Model):
    """How well recognition works ("Leer van klachten"): per month, how many signals
    staff registered as a case and how many they dismissed.

    A database view over the signals, like the Knelpunten analysis: ``registered_rate``
    is 100 for a registered signal, 0 for a dismissed one and empty while undecided, so
    its average over any grouping is the share of the decided signals that were
    complaints.
    """

    _name = "municipal.complaint.signal.analysis"
    _description = "Signal analysis (recognition)"
    _auto = False
    _order = "date desc"
    _rec_name = "signal_id"
    _depends = {
        "municipal.complaint.signal": [
            "company_id",
            "res_model_id",
            "user_id",
            "state",
            "date",
            "score",
        ],
    }

    signal_id = fields.Many2one("municipal.complaint.signal", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    res_model_id = fields.Many2one("ir.model", string="Written on", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    state = fields.Selection(SIGNAL_STATES, readonly=True)
    date = fields.Datetime(string="Received", readonly=True)

    signal_count = fields.Integer(string="Signals", readonly=True, aggregator="sum")
    registered_count = fields.Integer(
        string="Registered", readonly=True, aggregator="sum"
    )
    dismissed_count = fields.Integer(
        string="Dismissed", readonly=True, aggregator="sum"
    )
    new_count = fields.Integer(string="Undecided", readonly=True, aggregator="sum")
    registered_rate = fields.Float(
        string="Share registered (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Of the decided signals, the share registered as a case; the rest "
        "was dismissed.",
    )
    score = fields.Float(readonly=True, aggregator="avg", digits=(16, 2))

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT
                        s.id AS id,
                        s.id AS signal_id,
                        s.company_id,
                        s.res_model_id,
                        s.user_id,
                        s.state,
                        s.date,
                        s.score,
                        1 AS signal_count,
                        CASE WHEN s.state = 'registered' THEN 1 ELSE 0 END
                            AS registered_count,
                        CASE WHEN s.state = 'dismissed' THEN 1 ELSE 0 END
                            AS dismissed_count,
                        CASE WHEN s.state = 'new' THEN 1 ELSE 0 END AS new_count,
                        CASE
                            WHEN s.state = 'registered' THEN 100.0
                            WHEN s.state = 'dismissed' THEN 0.0
                        END AS registered_rate
                    FROM municipal_complaint_signal s
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
