"""How a case was recognised as a complaint, so that the Dienst can report on its
2021 goal "Herken een klacht" (its 2020 report): did the citizen call it a complaint,
did staff recognise it, or did the detector find it in a message?

The field is set through its default and the creating values, never by overriding
create: a web form or an e-mail to the complaint address is a complaint the citizen
filed ("citizen", the default); staff registering a conversation choose "staff" on the
form; a case registered from a signal is "detector"
(``municipal.complaint.signal.action_register_complaint``).
"""

from odoo import fields, models
from odoo.exceptions import UserError

from .complaint_signal import FROM_SIGNAL, SOURCE_MESSAGE_KEY

RECOGNITIONS = [
    ("citizen", "Called a complaint by the citizen"),
    ("staff", "Recognised by staff"),
    ("detector", "Recognised by the detector"),
]
# the order in which the breakdown is presented (reports, exports)
RECOGNITION_KEYS = tuple(key for key, _label in RECOGNITIONS)


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    recognition = fields.Selection(
        RECOGNITIONS,
        string="Recognised as a complaint",
        required=True,
        default="citizen",
        index=True,
        tracking=True,
        help="Whether the citizen called it a complaint, or staff or the detector "
        "recognised dissatisfaction that was not called one (Herken een klacht).",
    )
    source_message_id = fields.Many2one(
        "mail.message",
        string="Registered from message",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The message in which the complaint was recognised.",
    )
    signal_ids = fields.One2many(
        "municipal.complaint.signal", "complaint_id", string="Signals", readonly=True
    )
    signal_count = fields.Integer(
        string="Number of signals", compute="_compute_signal_count"
    )

    def _compute_signal_count(self):
        counts = dict(
            self.env["municipal.complaint.signal"]._read_group(
                [("complaint_id", "in", self.ids)],
                groupby=["complaint_id"],
                aggregates=["__count"],
            )
        )
        for complaint in self:
            complaint.signal_count = counts.get(complaint, 0)

    def _check_source_message(self, vals):
        """The message a case was registered from is named by the signal's register
        step only (called by ``create`` and ``write``), or by server code: a case
        shows the message's subject, which would otherwise open a window on any
        message of the database."""
        if (
            vals.get("source_message_id")
            and not self.env.su
            and self.env.context.get(SOURCE_MESSAGE_KEY) is not FROM_SIGNAL
        ):
            raise UserError(
                self.env._(
                    "The message a case was registered from is set by registering "
                    "a signal, not by hand."
                )
            )

    def action_open_signals(self):
        self.ensure_one()
        name = self.env._("Signals")
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "municipal.complaint.signal",
            "view_mode": "list,form",
            "domain": [("complaint_id", "=", self.id)],
        }
