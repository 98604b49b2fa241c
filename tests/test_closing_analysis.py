from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError

from .closing_common import ClosingCase


class TestBottleneckAnalysis(ClosingCase):
    """Knelpunten: cases per category and period, with the
    share handled within the term."""

    def test_counts_and_share_within_the_term(self):
        category = self.env["municipal.complaint.category"].create(
            {"name": "Wachttijd", "code": "WACHTTIJD_TEST", "kind": "complaint"}
        )
        with freeze_time("2026-05-04"):
            within = self.create_complaint(
                category_id=category.id,
                received_date=date(2026, 4, 1),
                user_id=self.employee.id,
            )
            agreed = self.informal_values(informal_agreement_date=date(2026, 4, 2))
            self.close(within, agreed)
            late = self.create_complaint(
                category_id=category.id, received_date=date(2026, 3, 11)
            )
            self.close(late, agreed)
            # open: one still within its term, one past it
            self.create_complaint(
                category_id=category.id, received_date=date(2026, 4, 20)
            )
            self.create_complaint(
                category_id=category.id, received_date=date(2026, 1, 5)
            )
            self.env.flush_all()

            Analysis = self.env["municipal.complaint.analysis"].with_user(
                self.coordinator
            )
            [(count, closed, within_count, late_count, rate)] = Analysis._read_group(
                [("category_id", "=", category.id)],
                aggregates=[
                    "complaint_count:sum",
                    "closed_count:sum",
                    "within_term_count:sum",
                    "late_count:sum",
                    "within_term_rate:avg",
                ],
            )
        self.assertEqual((count, closed, within_count, late_count), (4, 2, 1, 2))
        self.assertAlmostEqual(
            rate,
            100 / 3,
            places=5,
            msg="one of the three decided cases was within the term",
        )

        by_quarter = dict(
            Analysis._read_group(
                [("category_id", "=", category.id)],
                ["received_date:quarter"],
                ["complaint_count:sum"],
            )
        )
        self.assertEqual(list(by_quarter.values()), [2, 2])

        by_handler = dict(
            Analysis._read_group(
                [("category_id", "=", category.id)],
                ["user_id"],
                ["within_term_count:sum"],
            )
        )
        self.assertEqual(by_handler[self.employee], 1)
        self.assertEqual(
            by_handler[self.coordinator],
            0,
            "the closer became the handler of the late case",
        )

    def test_only_coordinators_see_the_analysis(self):
        with self.assertRaises(AccessError):
            self.env["municipal.complaint.analysis"].with_user(self.employee).search([])
