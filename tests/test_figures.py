from datetime import date

from odoo.exceptions import AccessError

from .common import MODULE, ComplaintCase

# What _get_annual_figures returns for the demo register of 2020: the figures of the
# Dienst's annual report 2020.
SEED_2020 = {
    "total": 48,
    "referral": 26,
    "service": 22,
    "policy": 6,
    "proactive": 2,
    "complaints": 14,
    "by_category": {
        "BEJEGENING": 8,
        "INFORMATIE": 3,
        "BEHANDELTERMIJN": 1,
        "OVERIG": 2,
    },
    "by_channel": {"oral": 8, "digital": 5, "letter": 1},
    "by_handling": {"informal": 13, "formal": 1},
    "by_judgment": {"unfounded": 1},
    "by_term": {"within": 12, "ombudsman": 1, "mediation": 1},
    "ombudsman_received": 0,
    "ombudsman_submitted": 1,
    "by_recognition": {"citizen": 14},
    "advisory_committee": 0,
}


class FiguresCase(ComplaintCase):
    """A small register of another year, built case by case, to count by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.category_overig = ref(f"{MODULE}.category_overig")
        cls.category_behandeltermijn = ref(f"{MODULE}.category_behandeltermijn")

    @classmethod
    def register(cls, received, **values):
        """A case received on ``received``; closing values are written as a
        historic register would be imported (the constraints apply, the
        wizards' workflow does not)."""
        return cls.create_complaint(received_date=received, **values)

    @classmethod
    def closed(cls, received, closed, **values):
        return cls.register(
            received, stage_id=cls.stage_closed.id, closed_date=closed, **values
        )

    @classmethod
    def informal(cls):
        return {
            "handling": "informal",
            "resolution_note": "<p>Opgelost in een gesprek.</p>",
        }


class TestAnnualFigures(FiguresCase):
    def test_seed_2020_figures_from_the_demo_register(self):
        figures = self.Complaint.with_user(self.coordinator)._get_annual_figures(2020)
        self.assertEqual(figures, SEED_2020)
        # every number once more, as the 2020 report tells them
        self.assertEqual(figures["total"], 48)
        self.assertEqual(figures["referral"], 26)
        self.assertEqual(figures["service"], 22)
        self.assertEqual(figures["policy"], 6)
        self.assertEqual(figures["proactive"], 2)
        self.assertEqual(figures["complaints"], 14)
        self.assertEqual(figures["by_category"]["BEJEGENING"], 8)
        self.assertEqual(figures["by_category"]["INFORMATIE"], 3)
        self.assertEqual(figures["by_category"]["BEHANDELTERMIJN"], 1)
        self.assertEqual(figures["by_category"]["OVERIG"], 2)
        self.assertEqual(figures["by_channel"], {"oral": 8, "digital": 5, "letter": 1})
        self.assertEqual(figures["by_handling"], {"informal": 13, "formal": 1})
        self.assertEqual(figures["by_judgment"], {"unfounded": 1})
        self.assertEqual(
            figures["by_term"], {"within": 12, "ombudsman": 1, "mediation": 1}
        )
        self.assertEqual(figures["ombudsman_received"], 0)
        self.assertEqual(figures["ombudsman_submitted"], 1)

    def test_a_year_registered_case_by_case(self):
        informal = self.informal()
        # real complaints
        self.closed(date(2018, 2, 5), date(2018, 2, 20), channel="phone", **informal)
        self.closed(
            date(2018, 3, 1),
            date(2018, 4, 2),
            channel="email",
            category_id=self.category_informatie.id,
            handling="formal",
            judgment="founded",
        )
        self.closed(  # closed after its legal term (12 April + 6 weeks)
            date(2018, 4, 12),
            date(2018, 6, 29),
            channel="letter",
            category_id=self.category_informatie.id,
            handling="formal",
            judgment="partly_founded",
        )
        self.closed(
            date(2018, 5, 7),
            date(2018, 5, 14),
            channel="web_form",
            handling="not_handled",
        )
        # taken to the Nationale ombudsman by the complainant before the term ended
        self.register(
            date(2018, 9, 3),
            channel="in_person",
            ombudsman_initiator="complainant",
            ombudsman_date=date(2018, 10, 1),
        )
        self.register(date(2018, 11, 5), channel="phone", mediation_state="ongoing")
        # other kinds
        self.register(date(2018, 1, 10), category_id=self.category_beleid.id)
        self.register(
            date(2018, 6, 1),
            category_id=self.category_doorverwijzing.id,
            channel="email",
        )
        self.register(date(2018, 12, 31), category_id=self.category_doorverwijzing.id)
        self.register(date(2018, 7, 7), category_id=self.category_proactief.id)
        # not counted: another year, a case registered by mistake, another company
        self.register(date(2017, 12, 31), **informal)
        self.register(date(2019, 1, 1))
        self.register(date(2018, 8, 8)).action_archive()
        elsewhere = self.env["res.company"].create({"name": "Dienst Elders"})
        self.register(date(2018, 8, 8), company_id=elsewhere.id, user=self.env.user)

        figures = self.Complaint.with_user(self.coordinator)._get_annual_figures(2018)
        self.assertEqual(
            figures,
            {
                "total": 10,
                "referral": 2,
                "service": 8,
                "policy": 1,
                "proactive": 1,
                "complaints": 6,
                "by_category": {"BEJEGENING": 4, "INFORMATIE": 2},
                "by_channel": {"oral": 3, "digital": 2, "letter": 1},
                "by_handling": {"informal": 1, "formal": 2, "not_handled": 1},
                "by_judgment": {"founded": 1, "partly_founded": 1},
                "by_term": {"within": 3, "late": 1, "ombudsman": 1, "mediation": 1},
                "ombudsman_received": 1,
                "ombudsman_submitted": 0,
                "by_recognition": {"citizen": 6},
                "advisory_committee": 0,
            },
        )
        # the other company counts its own case only
        self.assertEqual(
            self.Complaint.sudo()._get_annual_figures(2018, elsewhere)["total"], 1
        )

    def test_an_empty_year_counts_zero(self):
        figures = self.Complaint.with_user(self.coordinator)._get_annual_figures(1999)
        self.assertEqual(figures["total"], 0)
        self.assertEqual(figures["service"], 0)
        self.assertEqual(figures["by_term"], {})
        self.assertEqual(figures["by_category"], {})

    def test_anonymised_case_still_counts_as_it_was(self):
        complaint = self.closed(
            date(2018, 2, 5),
            date(2018, 2, 20),
            channel="letter",
            category_id=self.category_overig.id,
            **self.informal(),
        )
        before = self.Complaint.with_user(self.coordinator)._get_annual_figures(2018)
        # anonymisation after the retention term: personal
        # data gone, statistical facts kept
        self.set_history(
            complaint,
            partner_id=False,
            subject="Geanonimiseerd",
            description=False,
            resolution_note="<p>Geanonimiseerd.</p>",
            respondent_user_id=False,
        )
        after = self.Complaint.with_user(self.coordinator)._get_annual_figures(2018)
        self.assertEqual(after, before)
        self.assertEqual(after["by_category"], {"OVERIG": 1})
        self.assertEqual(after["by_channel"], {"letter": 1})

    def test_coordinator_counts_the_whole_register_of_the_company(self):
        # registered by an employee, handled by a colleague: the coordinator is neither
        self.register(date(2018, 3, 3), user=self.employee, user_id=self.colleague.id)
        figures = self.Complaint.with_user(self.coordinator)._get_annual_figures(2018)
        self.assertEqual(figures["complaints"], 1)

    def test_only_a_coordinator_may_count(self):
        with self.assertRaises(AccessError):
            self.Complaint.with_user(self.employee)._get_annual_figures(2020)
        with self.assertRaises(AccessError):
            self.Complaint.with_user(self.outsider)._get_annual_figures(2020)

    def test_coordinator_may_not_count_another_company(self):
        elsewhere = self.env["res.company"].create({"name": "Dienst Elders"})
        with self.assertRaises(AccessError):
            self.Complaint.with_user(self.coordinator)._get_annual_figures(
                2020, elsewhere
            )

    def test_query_count_does_not_grow_with_the_number_of_cases(self):
        Complaint = self.Complaint.with_user(self.coordinator)

        def queries():
            Complaint._get_annual_figures(
                2016
            )  # warm the user's group and company caches
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            Complaint._get_annual_figures(2016)
            return self.env.cr.sql_log_count - before

        self.register(date(2016, 1, 4))
        few = queries()
        categories = [
            self.category_bejegening,
            self.category_informatie,
            self.category_overig,
            self.category_behandeltermijn,
            self.category_beleid,
            self.category_doorverwijzing,
            self.category_proactief,
        ]
        channels = ["phone", "in_person", "email", "web_form", "letter", "social_media"]
        self.Complaint.with_user(self.coordinator).create(
            [
                {
                    "subject": f"Zaak {index}",
                    "category_id": categories[index % len(categories)].id,
                    "channel": channels[index % len(channels)],
                    "received_date": date(2016, 1 + index % 12, 1 + index % 28),
                }
                for index in range(60)
            ]
        )
        many = queries()
        self.assertEqual(self.Complaint.sudo()._get_annual_figures(2016)["total"], 61)
        self.assertEqual(many, few)
        self.assertLessEqual(many, 2)
