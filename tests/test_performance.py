"""What keeps the busy screens and registration fast at a register of many years:
the default search runs on indexes, a batch of new cases is acknowledged with a
constant number of renders and one e-mail per complainant, and the kanban's
column bars count the deadline states with their own rule. Speed itself is
measured by bench/peer.py, never here."""

from collections import Counter
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .common import MODULE, ComplaintCase

BAR = {
    "field": "deadline_state",
    "colors": {"on_track": "success", "due_soon": "warning", "overdue": "danger"},
    "help": "",
}


class TestDefaultSearchUsesIndexes(ComplaintCase):
    """The list's default search (the search view's first field) finds cases
    through indexes. The register gets a few thousand rows and fresh statistics,
    and sequential scans are switched off: the plan then shows whether each text
    condition is answered by an index or filtered row by row."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        case = cls.create_complaint(subject="Uitkering te laat betaald")
        cls.env.flush_all()
        cls.env.cr.execute(
            """
            INSERT INTO municipal_complaint (name, subject, company_id, stage_id,
                category_id, kind, channel, mediation_state, received_date,
                received_year, recognition, active)
            SELECT 'KL/2020/T' || i, 'Niet teruggebeld ' || i, company_id, stage_id,
                   category_id, kind, channel, mediation_state, received_date,
                   received_year, recognition, TRUE
              FROM municipal_complaint, generate_series(1, 3000) AS i
             WHERE id = %s
            """,
            [case.id],
        )
        cls.env.cr.execute("ANALYZE municipal_complaint")

    def default_search_domain(self, text):
        arch = self.Complaint.get_views(
            [(self.env.ref(f"{MODULE}.municipal_complaint_view_search").id, "search")]
        )["views"]["search"]["arch"]
        field = next(etree.fromstring(arch).iter("field"))
        filter_domain = field.get("filter_domain") or (
            f"[('{field.get('name')}', 'ilike', self)]"
        )
        return safe_eval(filter_domain, {"self": text})

    def plan(self, domain):
        """The plan of the search's own conditions (without the access rules, which
        have their own indexes)."""
        query = self.Complaint.sudo().with_context(active_test=False)._search(domain)
        cr = self.env.cr
        cr.execute("SET LOCAL enable_seqscan = off")
        try:
            cr.execute(SQL("EXPLAIN %s", query.select()))
            return [row[0] for row in cr.fetchall()]
        finally:
            cr.execute("SET LOCAL enable_seqscan = on")

    def indexed(self, plan, column):
        """Whether an index answers the text condition on ``column``."""
        return any(
            "Index Cond" in line and f"({column})::text ~~*" in line for line in plan
        )

    def test_text_search_in_reference_and_subject_uses_trigram_indexes(self):
        domain = self.default_search_domain("te laat")
        plan = self.plan(domain)
        self.assertTrue(self.indexed(plan, "subject"), "\n".join(plan))
        self.assertTrue(self.indexed(plan, "name"), "\n".join(plan))
        self.assertFalse(
            any("Seq Scan on municipal_complaint" in line for line in plan)
        )
        found = self.Complaint.with_user(self.coordinator).search(domain)
        self.assertIn("Uitkering te laat betaald", found.mapped("subject"))
        self.assertNotIn("Niet teruggebeld 1", found.mapped("subject"))

    def test_without_the_subject_index_the_subject_is_filtered_row_by_row(self):
        # the check above can fail: without the index, no index answers the subject
        self.env.cr.execute("DROP INDEX municipal_complaint__subject_index")
        plan = self.plan(self.default_search_domain("te laat"))
        self.assertFalse(self.indexed(plan, "subject"), "\n".join(plan))


@freeze_time("2026-03-11")
class TestAcknowledgmentBatch(ComplaintCase):
    """Registering many cases at once (a mail batch, an import that asks for
    acknowledgments) renders the letter once per language, not once per case, and
    mails each complainant exactly once, with no copy to the handler or followers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company._get_complaint_calendar()._generate_dutch_holidays([2026])
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.complainants = cls.env["res.partner"].create(
            [
                {
                    "name": f"Klager {n:02d}",
                    "email": f"klager{n:02d}@example.com",
                    "lang": "nl_NL" if n % 2 else "en_US",
                }
                for n in range(50)
            ]
        )

    def register(self, complainants):
        """Register one case per complainant in one create, counting the QWeb
        templates compiled from source on the way (a mail template's body)."""
        IrQweb = self.registry["ir.qweb"]
        original = IrQweb._render
        compiled = []

        def counting_render(qweb, template, values=None, **options):
            if isinstance(template, etree._Element):
                compiled.append(template)
            return original(qweb, template, values, **options)

        with patch.object(IrQweb, "_render", counting_render):
            # as the mail gateway registers a batch (acknowledged at once), with
            # followers and notifications on
            complaints = self.Complaint.with_context(
                tracking_disable=False, mail_notrack=False
            ).create(
                [
                    {
                        "subject": f"Niet teruggebeld ({partner.name})",
                        "category_id": self.category_bejegening.id,
                        "received_date": date(2026, 3, 11),
                        "partner_id": partner.id,
                        "user_id": self.employee.id,
                    }
                    for partner in complainants
                ]
            )
        return complaints, len(compiled)

    def acknowledgment_mails(self, complaints):
        """The e-mails of the letters posted on the cases (the handler's assignment
        notice is a notification, not a letter)."""
        return (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", "municipal.complaint"),
                    ("res_id", "in", complaints.ids),
                    ("mail_message_id.subtype_id", "=", self.ref("mail.mt_comment")),
                ]
            )
        )

    def test_fifty_cases_render_the_letter_once_per_language(self):
        few, renders_for_few = self.register(self.complainants[:4])
        many, renders_for_many = self.register(self.complainants)
        # two languages among the complainants: two renders, however many cases
        self.assertEqual(renders_for_few, 2)
        self.assertEqual(renders_for_many, renders_for_few)
        self.assertTrue(all(many.mapped("acknowledgment_date")))

    def test_each_case_gets_its_own_letter_in_its_complainants_language(self):
        complaints, _renders = self.register(self.complainants)
        for complaint in complaints:
            letter = complaint.message_ids.filtered(
                lambda m: m.subtype_id == self.env.ref("mail.mt_comment")
            )
            self.assertEqual(len(letter), 1, complaint.name)
            self.assertIn(complaint.name, letter.subject)
            # its own reference; the complainant's name is not repeated: the
            # acknowledgment repeats nothing the sender may have typed
            self.assertIn(complaint.name, letter.body)
            self.assertNotIn(complaint.partner_id.name, letter.body)
            month = "maart" if complaint.partner_id.lang == "nl_NL" else "March"
            self.assertIn(month, letter.body, complaint.partner_id.lang)
            self.assertEqual(letter.partner_ids, complaint.partner_id)

    def test_one_mail_per_complainant_and_no_copy_to_handler_or_followers(self):
        complaints, _renders = self.register(self.complainants)
        mails = self.acknowledgment_mails(complaints)
        self.assertEqual(len(mails), len(complaints))
        self.assertEqual(
            Counter(mails.mapped("recipient_ids").ids),
            Counter(self.complainants.ids),
        )
        for mail in mails:
            self.assertEqual(len(mail.recipient_ids), 1)
        # the handler follows the cases, and sees the letters on the chatter only
        self.assertIn(self.employee.partner_id, complaints.message_partner_ids)
        notified = (
            self.env["mail.notification"]
            .sudo()
            .search([("mail_message_id", "in", mails.mail_message_id.ids)])
        )
        self.assertEqual(notified.res_partner_id, self.complainants)
        self.assertEqual(set(notified.mapped("notification_type")), {"email"})

    def test_cases_registered_one_by_one_compile_the_letter_once(self):
        IrQweb = self.registry["ir.qweb"]
        original = IrQweb._generate_code_uncached
        compiles = []

        def counting_compile(qweb, template):
            if isinstance(template, etree._Element):  # a body, not a view
                compiles.append(template)
            return original(qweb, template)

        english = self.complainants.filtered(lambda p: p.lang == "en_US")
        with patch.object(IrQweb, "_generate_code_uncached", counting_compile):
            for partner in english[:3]:
                self.register(partner)
        self.assertLessEqual(len(compiles), 1)

    def test_a_changed_letter_is_sent_as_changed(self):
        # the compiled letter is kept by its content: an edit is never stale
        self.register(self.complainants[:1])
        template = self.env.ref(f"{MODULE}.mail_template_acknowledgment")
        template.with_context(lang="en_US").body_html = (
            "<p>Dear <t t-out='object.partner_id.name'/>, we received "
            "<t t-out='object.name'/>. The Dienst.</p>"
        )
        complaint = self.register(self.complainants[2:3])[0]
        letter = complaint.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_comment")
        )
        self.assertIn("we received", letter.body)
        self.assertIn(complaint.name, letter.body)

    def test_a_file_attached_to_the_template_goes_with_each_letter(self):
        template = self.env.ref(f"{MODULE}.mail_template_acknowledgment")
        leaflet = self.env["ir.attachment"].create(
            {"name": "klachtenfolder.pdf", "raw": b"%PDF-1.4 folder"}
        )
        template.attachment_ids = leaflet
        complaints, _renders = self.register(self.complainants[:2])
        mails = self.acknowledgment_mails(complaints)
        self.assertEqual(len(mails), 2)
        for mail in mails:
            self.assertEqual(mail.attachment_ids.mapped("name"), ["klachtenfolder.pdf"])
            self.assertEqual(mail.attachment_ids.res_id, mail.res_id)
            self.assertNotEqual(mail.attachment_ids, leaflet)

    def test_a_big_batch_goes_through_the_mail_queue(self):
        cron = self.env.ref("mail.ir_cron_mail_scheduler_action")
        self.env["ir.config_parameter"].sudo().set_param(
            "mail.mail.force.send.limit", 10
        )
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        self.register(self.complainants[:20])
        self.assertGreater(Trigger.search_count([("cron_id", "=", cron.id)]), before)


@freeze_time("2026-03-11")
class TestKanbanDeadlineBars(ComplaintCase):
    """The column bars count the cases per deadline state with the states' own
    search rule: they must equal what each card shows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company._get_complaint_calendar()._generate_dutch_holidays([2026])
        cls.company.complaint_warning_days = 2
        # cases set up in their stages come in as a historic register does
        Complaint = cls.Complaint.sudo().with_context(
            complaint_no_acknowledgment=True, complaint_import_history=True
        )
        cases = []
        # received long ago (overdue), a week ago (contact due soon), today (on track)
        for received in (date(2026, 1, 5), date(2026, 3, 4), date(2026, 3, 11)):
            for stage in (cls.stage_received, cls.stage_contacted):
                cases.append(
                    {
                        "subject": f"Zaak {received} {stage.name}",
                        "category_id": cls.category_bejegening.id,
                        "received_date": received,
                        "stage_id": stage.id,
                        "user_id": cls.employee.id
                        if stage == cls.stage_received
                        else cls.colleague.id,
                    }
                )
        cases.append(
            {
                "subject": "Geen termijn: beleid",
                "category_id": cls.category_beleid.id,
                "received_date": date(2026, 3, 10),
                "user_id": cls.employee.id,
            }
        )
        cls.cases = Complaint.create(cases)
        contacted = cls.cases.filtered(lambda c: c.stage_id == cls.stage_contacted)
        contacted.write({"contact_date": date(2026, 3, 11)})
        # a case of a historic register, imported closed
        cls.closed = Complaint.create(
            {
                "subject": "Afgehandeld",
                "category_id": cls.category_bejegening.id,
                "received_date": date(2026, 1, 5),
                "closed_date": date(2026, 2, 1),
            }
        )

    def expected(self, user, domain=()):
        complaints = self.Complaint.with_user(user).search(list(domain))
        counts = {}
        for complaint in complaints:
            if complaint.deadline_state in BAR["colors"]:
                column = counts.setdefault(
                    str(complaint.stage_id.id), dict.fromkeys(BAR["colors"], 0)
                )
                column[complaint.deadline_state] += 1
        return counts

    def bars(self, user, domain=()):
        result = self.Complaint.with_user(user).read_progress_bar(
            list(domain), "stage_id", BAR
        )
        return {key: value for key, value in result.items() if any(value.values())}

    def test_bars_equal_the_cards_deadline_states(self):
        expected = self.expected(self.coordinator)
        # the set-up covers all three coloured states
        states = Counter(
            state for column in expected.values() for state, n in column.items() if n
        )
        self.assertEqual(set(states), set(BAR["colors"]))
        self.assertEqual(self.bars(self.coordinator), expected)

    def test_bars_with_the_kanbans_default_filter(self):
        action = self.env.ref(f"{MODULE}.action_municipal_complaint")
        self.assertEqual(safe_eval(action.context).get("search_default_open"), 1)
        domain = [("closed_date", "=", False)]
        self.assertEqual(
            self.bars(self.coordinator, domain),
            self.expected(self.coordinator, domain),
        )
        self.assertNotIn(str(self.stage_closed.id), self.bars(self.coordinator))

    def test_bars_count_only_the_cases_the_user_may_see(self):
        expected = self.expected(self.employee)
        self.assertLess(
            sum(n for column in expected.values() for n in column.values()),
            sum(
                n
                for column in self.expected(self.coordinator).values()
                for n in column.values()
            ),
        )
        self.assertEqual(self.bars(self.employee), expected)

    def test_bars_follow_the_company_warning_days(self):
        # a wider warning window turns cases on track into due soon, in both
        self.company.complaint_warning_days = 10
        self.env.invalidate_all()
        expected = self.expected(self.coordinator)
        self.assertEqual(self.bars(self.coordinator), expected)

    def test_other_bars_are_odoos(self):
        result = self.Complaint.with_user(self.coordinator).read_progress_bar(
            [],
            "stage_id",
            {"field": "channel", "colors": {"phone": "success"}, "help": ""},
        )
        self.assertEqual(
            sum(column["phone"] for column in result.values()),
            self.Complaint.search_count(Domain("channel", "=", "phone")),
        )

    def test_open_cases_are_counted_from_the_open_cases_index(self):
        query = self.Complaint.with_user(self.coordinator)._search(
            [("closed_date", "=", False)]
        )
        cr = self.env.cr
        cr.execute("SET LOCAL enable_seqscan = off")
        try:
            cr.execute(
                SQL(
                    "EXPLAIN SELECT stage_id, count(*) FROM %s WHERE %s GROUP BY 1",
                    query.from_clause,
                    query.where_clause,
                )
            )
            plan = "\n".join(row[0] for row in cr.fetchall())
        finally:
            cr.execute("SET LOCAL enable_seqscan = on")
        # the open cases are found by an index on the closed date, not by reading
        # the closed ones
        self.assertNotIn("Seq Scan on municipal_complaint", plan)
        self.assertTrue(
            "Index Cond: (closed_date IS NULL)" in plan
            or "municipal_complaint_open_" in plan,
            plan,
        )

    def test_bars_by_another_grouping(self):
        result = self.Complaint.with_user(self.coordinator).read_progress_bar(
            [], "user_id", BAR
        )
        expected = Counter()
        for complaint in self.Complaint.with_user(self.coordinator).search([]):
            if complaint.deadline_state in BAR["colors"]:
                expected[(str(complaint.user_id.id), complaint.deadline_state)] += 1
        counted = Counter(
            {
                (user, state): n
                for user, column in result.items()
                for state, n in column.items()
                if n
            }
        )
        self.assertEqual(counted, expected)
