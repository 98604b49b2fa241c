"""Anonymising a case at the end of its retention term (docs/rules.md, "Privacy and
retention"): every trace of the complainant goes, the figures stay."""

import os
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .closing_common import ClosingCase

NAME = "Jozefien Xylofoonbouwer"
EMAIL = "jozefien.xylo@example.org"
PHONE = "06 98765432"
# what a search must not find anywhere: the name, its rare part, the address, the
# phone as typed and as digits
NEEDLES = (NAME, "Xylofoonbouwer", EMAIL, PHONE, "0698765432")

TEXT_TYPES = ("text", "character varying", "jsonb", "json", "bytea")


def text_columns(cr, table):
    cr.execute(
        """SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s
              AND data_type IN %s""",
        [table, TEXT_TYPES],
    )
    return cr.fetchall()


def find_needles(cr, table, where, params=()):
    """The (column, needle) pairs of the rows of ``table`` matching ``where`` that
    contain a needle in a text, JSON or binary column."""
    hits = []
    for column, data_type in text_columns(cr, table):
        for needle in NEEDLES:
            if data_type == "bytea":
                condition = SQL(
                    "position(%s::bytea in %s) > 0",
                    needle.encode(),
                    SQL.identifier(column),
                )
            else:
                condition = SQL(
                    "%s::text ILIKE %s", SQL.identifier(column), f"%{needle}%"
                )
            cr.execute(
                SQL(
                    "SELECT count(*) FROM %s WHERE (%s) AND %s",
                    SQL.identifier(table),
                    SQL(where, *params),
                    condition,
                )
            )
            if cr.fetchone()[0]:
                hits.append((table, column, needle))
    return hits


def tables_referring_to(cr, table):
    """(table, column) of every single-column foreign key to ``table``."""
    cr.execute(
        """SELECT cl.relname, att.attname
             FROM pg_constraint con
             JOIN pg_class cl ON cl.oid = con.conrelid
             JOIN pg_attribute att
               ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
            WHERE con.contype = 'f' AND con.confrelid = %s::regclass
              AND array_length(con.conkey, 1) = 1""",
        [table],
    )
    return cr.fetchall()


class TestAnonymise(ClosingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "complaint_intake_rate_limit": 50,
                "complaint_intake_category_id": cls.category_bejegening.id,
            }
        )

    def file_a_complaint(self):
        """A complaint through the public form, handled formally, with everything a
        real case gathers: tracked changes, notes, an activity, a file, the
        acknowledgment and the conclusion letter in the mail queue, an open dialog."""
        Complaint = self.Complaint.with_context(
            tracking_disable=False, mail_notrack=False
        )
        complaint = Complaint.sudo()._create_from_intake(
            {
                "name": NAME,
                "email": EMAIL,
                "phone": PHONE,
                "subject": f"Klacht van {NAME}",
                "description": f"Ik, {NAME} ({PHONE}), kreeg geen antwoord.",
                "privacy_accepted": True,
            },
            attachments=[("brief.txt", f"Brief van {NAME}, {EMAIL}".encode())],
            client_address="192.0.2.7",
        )
        # the registration is committed: later changes are tracked
        self.env.flush_all()
        self.env.cr.precommit.run()
        complaint = complaint.sudo(False).with_user(self.coordinator)
        complaint.write(
            {
                "user_id": self.coordinator.id,
                "respondent_user_id": self.employee.id,
                "subject": f"{NAME} ({PHONE}) niet teruggebeld",
            }
        )
        complaint.message_post(
            body=f"Teruggebeld naar {PHONE}, {NAME} was niet thuis.",
            subtype_xmlid="mail.mt_note",
        )
        complaint.activity_schedule(
            "mail.mail_activity_data_todo", note=f"Bel {NAME} terug"
        )
        self.env["municipal.complaint.close.wizard"].with_user(self.coordinator).create(
            {"complaint_id": complaint.id, "findings": f"<p>{NAME} heeft gelijk</p>"}
        )
        self.close(
            complaint,
            self.formal_values(
                findings=f"<p>{NAME} belde drie keer.</p>",
                hearing_date=complaint.received_date,
                hearing_attendees=f"{NAME}, klachtcoördinator",
                hearing_report=f"<p>{NAME} lichtte toe.</p>",
            ),
        )
        return complaint

    def traces(self, complaint, files):
        """Where the complainant is still found: the case's row, every row of a table
        pointing to it, its messages, tracking values, mails and attachments (and
        their files), and anywhere in those mail tables at all."""
        cr = self.env.cr
        # what a commit would still write: pending tracking messages
        self.env.flush_all()
        cr.precommit.run()
        self.env.flush_all()
        hits = find_needles(cr, "municipal_complaint", "id = %s", [complaint.id])
        for table, column in tables_referring_to(cr, "municipal_complaint"):
            hits += find_needles(
                cr, table, "%s = %s", [SQL.identifier(column), complaint.id]
            )
        thread = "model = 'municipal.complaint' AND res_id = %s"
        hits += find_needles(cr, "mail_message", thread, [complaint.id])
        hits += find_needles(cr, "mail_mail", "TRUE")
        hits += find_needles(cr, "mail_message", "TRUE")
        hits += find_needles(cr, "mail_tracking_value", "TRUE")
        hits += find_needles(cr, "mail_activity", "TRUE")
        hits += find_needles(
            cr,
            "ir_attachment",
            "res_model = 'municipal.complaint' AND res_id = %s",
            [complaint.id],
        )
        Attachment = self.env["ir.attachment"]
        for fname in files:
            path = Attachment._full_path(fname)
            if os.path.exists(path):
                with open(path, "rb") as stored:
                    content = stored.read()
                hits += [
                    ("filestore", fname, needle)
                    for needle in NEEDLES
                    if needle.encode() in content
                ]
        return hits

    def stored_files(self, complaint):
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", complaint._name), ("res_id", "=", complaint.id)]
            )
        )
        return [fname for fname in attachments.mapped("store_fname") if fname]

    def test_nothing_of_the_complainant_is_found_after_anonymising(self):
        complaint = self.file_a_complaint()
        contact = complaint.partner_id
        files = self.stored_files(complaint)
        self.assertTrue(files, "the complainant's letter is in the filestore")
        self.assertTrue(
            self.env["mail.mail"]
            .sudo()
            .search_count(
                [("model", "=", complaint._name), ("res_id", "=", complaint.id)]
            ),
            "the acknowledgment and the letter wait in the mail queue",
        )
        before = self.traces(complaint, files)
        found = {(table, needle) for table, _column, needle in before}
        # the search finds what it is meant to find
        for table in (
            "municipal_complaint",
            "mail_message",
            "mail_tracking_value",
            "mail_mail",
            "mail_activity",
            "filestore",
            "municipal_complaint_close_wizard",
        ):
            self.assertIn((table, NAME), found, table)

        complaint._anonymise()

        self.assertEqual(self.traces(complaint, files=()), [])
        self.assertEqual(
            find_needles(self.env.cr, "res_partner", "id = %s", [contact.id]), []
        )
        self.assertFalse(contact.with_context(active_test=False).active)
        # the files leave the filestore with Odoo's garbage collection (the daily
        # vacuum): they are on its checklist, and gone once it ran
        Attachment = self.env["ir.attachment"]
        for fname in files:
            self.assertTrue(
                os.path.exists(Attachment._full_path(f"checklist/{fname}")), fname
            )
        Attachment._gc_file_store_unsafe()
        for fname in files:
            self.assertFalse(os.path.exists(Attachment._full_path(fname)), fname)
        self.assertEqual(self.traces(complaint, files), [])

    def test_statistical_facts_stay(self):
        complaint = self.file_a_complaint()
        facts = (
            "kind",
            "category_id",
            "channel",
            "received_date",
            "closed_date",
            "contact_deadline",
            "legal_deadline",
            "handling",
            "judgment",
            "outcome_ids",
            "norm_ids",
            "term_outcome",
            "hearing_date",
            "user_id",
            "company_id",
            "retention_date",
            "name",
        )
        before = {name: complaint[name] for name in facts}
        complaint._anonymise()
        self.assertEqual({name: complaint[name] for name in facts}, before)
        self.assertEqual(complaint.anonymised_date, date.today())
        self.assertTrue(complaint.active)
        self.assertFalse(complaint.partner_id)
        self.assertFalse(complaint.respondent_user_id)
        self.assertEqual(complaint.subject, "Removed after the retention term")

    def test_an_anonymised_case_changes_no_more(self):
        complaint = self.file_a_complaint()
        complaint._anonymise()
        as_coordinator = complaint.with_user(self.coordinator)
        with self.assertRaises(UserError):
            as_coordinator.write({"subject": f"Klacht van {NAME}"})
        with self.assertRaises(UserError):
            as_coordinator.sudo().write({"description": NAME})
        with self.assertRaises(UserError):
            as_coordinator.action_reopen("Toch nog iets")
        with self.assertRaises(UserError):
            as_coordinator.message_post(body=NAME)
        with self.assertRaises(UserError):
            as_coordinator._anonymise()
        with self.assertRaises(UserError):
            self.set_history(complaint, closed_date=date(2026, 1, 1))

    def test_only_a_coordinator_anonymises_a_closed_case(self):
        complaint = self.file_a_complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.employee)._anonymise()
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).write({"anonymised_date": date.today()})
        self.assertFalse(complaint.anonymised_date)
        open_case = self.create_complaint()
        with self.assertRaises(UserError):
            open_case.with_user(self.coordinator)._anonymise()
        self.assertFalse(open_case.anonymised_date)

    def test_a_contact_still_in_use_is_kept(self):
        complaint = self.file_a_complaint()
        contact = complaint.partner_id
        other = self.create_complaint(partner_id=contact.id, subject="Tweede klacht")
        complaint._anonymise()
        self.assertTrue(contact.active)
        self.assertEqual(contact.email, EMAIL)
        other.with_user(self.coordinator).action_close(
            {
                "handling": "informal",
                "resolution_note": "<p>Opgelost.</p>",
                "informal_agreement_date": other.received_date,
                "informal_agreement_how": "phone",
                "outcome_ids": self.outcome_uitleg.ids,
                "closed_date": other.received_date,
            }
        )
        other._anonymise()
        self.assertFalse(contact.with_context(active_test=False).active)
        self.assertFalse(contact.with_context(active_test=False).email)

    def test_a_contact_of_a_user_or_not_made_for_complaints_is_kept(self):
        portal_complaint = self.file_a_complaint()
        portal_contact = portal_complaint.partner_id
        self.env["res.users"].create(
            {
                "login": "jozefien_portal",
                "partner_id": portal_contact.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        plain = self.closed_with(self.complainant)
        portal_complaint._anonymise()
        plain._anonymise()
        self.assertTrue(portal_contact.active)
        self.assertEqual(portal_contact.name, NAME)
        self.assertTrue(self.complainant.active)
        self.assertEqual(self.complainant.email, "j.jansen@example.com")

    def closed_with(self, partner):
        return self.create_complaint(
            partner_id=partner.id,
            closed_date=date(2026, 3, 20),
            handling="informal",
            resolution_note="<p>Opgelost.</p>",
            outcome_ids=self.outcome_uitleg.ids,
        )


class TestAnonymiseDemoData(ClosingCase):
    """Anonymising every closed case of the demo data changes no year's figures and no
    published annual report."""

    def test_figures_of_every_year_are_identical_after_anonymising(self):
        Complaint = self.Complaint.sudo().with_context(active_test=False)
        cases = Complaint.search([("name", "!=", False)])
        years = sorted(set(cases.mapped("received_year")))
        companies = cases.company_id
        self.assertIn(2020, years)
        report = (
            self.env["municipal.complaint.annual.report"]
            .with_user(self.coordinator)
            .create({"year": 2020})
        )
        report.action_publish()
        published = report.frozen_data
        before = {
            (company, year): Complaint.with_company(company)._get_annual_figures(
                year, company
            )
            for company in companies
            for year in years
        }
        self.assertEqual(before[(self.env.ref("base.main_company"), 2020)]["total"], 48)

        closed = Complaint.search(
            [("closed_date", "!=", False), ("anonymised_date", "=", False)]
        )
        self.assertGreater(len(closed), 40)
        closed._anonymise()

        self.assertEqual(
            Complaint.search_count([("anonymised_date", "!=", False)]), len(closed)
        )
        after = {
            key: Complaint.with_company(key[0])._get_annual_figures(key[1], key[0])
            for key in before
        }
        self.assertEqual(after, before)
        self.assertEqual(report.frozen_data, published)
        self.assertEqual(report.state, "published")
