"""Shared set-up of the signal tests: a citizen without an account, the messages they
write on their contact, and a scoring run without the cron's commits."""

from unittest.mock import patch

from markupsafe import Markup

from .common import MODULE, ComplaintCase

COMPLAINT_TEXT = Markup(
    "<p>Ik heb drie weken geleden gebeld over mijn bijzondere bijstand. "
    "Ik ben nog steeds niet teruggebeld en ik ben hier erg ontevreden over.</p>"
)
QUESTION_TEXT = Markup(
    "<p>Wanneer wordt de uitkering van deze maand betaald? Alvast bedankt.</p>"
)


class SignalCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Signal = cls.env["municipal.complaint.signal"]
        cls.activity_type = cls.env.ref(f"{MODULE}.mail_activity_type_signal")
        cls.citizen = cls.env["res.partner"].create(
            {"name": "Petra de Wit", "email": "petra.dewit@example.com"}
        )

    def setUp(self):
        super().setUp()
        # outside a real cron run, _commit_progress commits: record the calls instead
        self.progress = []
        patcher = patch.object(
            type(self.env["ir.cron"]),
            "_commit_progress",
            autospec=True,
            side_effect=lambda _cron, processed=0, **kw: (
                self.progress.append((processed, kw)) or 60.0
            ),
        )
        patcher.start()
        self.addCleanup(patcher.stop)
        # score only what the test posts: the mark moves past the demo data's messages
        self.Signal._init_high_water()

    def post(
        self, record=None, body=COMPLAINT_TEXT, author=None, message_type="comment"
    ):
        """A message as a citizen writes it on ``record`` (default: their contact)."""
        record = record or self.citizen
        author = author or self.citizen
        return record.message_post(
            body=body,
            author_id=author.id,
            message_type=message_type,
            subtype_xmlid="mail.mt_comment",
        )

    def score(self, **kwargs):
        self.Signal._cron_score_messages(**kwargs)

    def signals_of(self, messages):
        return self.Signal.sudo().search([("mail_message_id", "in", messages.ids)])

    def activities_of(self, signals):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "municipal.complaint.signal"),
                ("res_id", "in", signals.ids),
            ]
        )
