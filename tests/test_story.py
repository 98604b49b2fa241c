from odoo.exceptions import AccessError, ValidationError

from .common import ComplaintCase


class TestStory(ComplaintCase):
    """A story (verhaal) is published in the annual report: no personal data in it."""

    def setUp(self):
        super().setUp()
        self.complaint = self.create_complaint()
        self.complainant.write(
            {
                "name": "Pieter van der Berg",
                "email": "p.vdberg@example.com",
                "phone": "06-12 34 56 78",
            }
        )

    def tell(self, text, title="Teruggebeld na drie weken", user=None):
        """Write the story as the UI would: a refusal rolls everything back."""
        try:
            with self.env.cr.savepoint():
                self.complaint.with_user(user or self.coordinator).write(
                    {"is_story": True, "story_title": title, "story_text": text}
                )
        finally:
            self.complaint.invalidate_recordset()

    def test_an_anonymised_story_is_accepted(self):
        text = (
            "Een inwoner wachtte drie weken op een terugbelverzoek over zijn "
            "uitkering. Na ons contact belde de klantmanager binnen 2 dagen terug en "
            "bood excuses aan. Sinds 2021 leggen we terugbelafspraken vast."
        )
        self.tell(text)
        self.assertTrue(self.complaint.is_story)
        self.assertEqual(self.complaint.story_text, text)

    def test_story_with_the_complainants_name_is_refused(self):
        for text in (
            "Pieter van der Berg wachtte drie weken.",
            "Meneer Berg wachtte drie weken.",
            "Pieter wachtte drie weken.",
        ):
            with (
                self.subTest(text=text),
                self.assertRaisesRegex(ValidationError, "the complainant's name"),
            ):
                self.tell(text)
        with self.assertRaisesRegex(ValidationError, "the complainant's name"):
            self.tell("Een inwoner wachtte drie weken.", title="Het verhaal van Pieter")
        self.assertFalse(self.complaint.is_story, "nothing was saved")
        # a name particle alone ("van", "der") is not a name
        self.tell("Een inwoner van de gemeente wachtte drie weken.")

    def test_story_with_the_complainants_email_or_phone_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "e-mail"):
            self.tell("Een inwoner (P.VDBERG@example.com) mailde ons.")
        for text in ("Bel terug op 0612345678.", "Bel terug op +31 6 1234 5678."):
            with (
                self.subTest(text=text),
                self.assertRaisesRegex(ValidationError, "phone number"),
            ):
                self.tell(text)

    def test_story_with_a_bsn_like_number_is_refused(self):
        for text in (
            "Dossier 123456782 werd gesloten.",
            "BSN 12345678.",
            "Nummer 1234.56.782 bleek fout.",
        ):
            with (
                self.subTest(text=text),
                self.assertRaisesRegex(ValidationError, "BSN"),
            ):
                self.tell(text)
        # shorter or longer numbers are no BSN
        self.tell(
            "In 2020 wachtte een inwoner 42 dagen; het zaaknummer was 1234567890."
        )

    def test_a_story_needs_a_title_and_a_text(self):
        with self.assertRaisesRegex(ValidationError, "title and a text"):
            self.tell("Een inwoner wachtte drie weken.", title=" ")
        self.complaint.with_user(self.coordinator).write(
            {"is_story": False, "story_text": False}
        )

    def test_an_anonymous_complaint_is_checked_for_bsn_only(self):
        complaint = self.create_complaint(partner_id=False)
        complaint.with_user(self.coordinator).write(
            {
                "is_story": True,
                "story_title": "Anoniem",
                "story_text": "Een anonieme melder over de wachttijd.",
            }
        )
        with self.assertRaises(ValidationError):
            complaint.with_user(self.coordinator).story_text = "BSN 123456782"

    def test_only_a_coordinator_writes_a_story(self):
        complaint = self.create_complaint(user=self.employee, user_id=self.employee.id)
        with self.assertRaises(AccessError):
            complaint.with_user(self.employee).write(
                {
                    "is_story": True,
                    "story_title": "Mijn zaak",
                    "story_text": "Een inwoner wachtte.",
                }
            )
        self.assertFalse(complaint.is_story)
