"""Who learns who complained. A complainant's contact is need-to-know (README,
"Toegang"; docs/production.md, section 7); these tests try the side doors: pointing
one's own case at another complainant, Odoo's follower and notification records, a
search on contacts, an organisation's contacts, deleting the contact."""

from contextlib import suppress

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import MODULE, ComplaintCase


class TestComplainantContacts(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Dienst Elders"})
        cls.secret = cls.env["res.partner"].create(
            {
                "name": "Geheime Klager",
                "email": "geheim@example.com",
                "phone": "06 99999999",
                "street": "Dorpsstraat 1",
                "is_complainant_contact": True,
                "company_id": cls.company.id,
            }
        )
        # a colleague's case: the Medewerker "employee" may not read it
        cls.secret_case = cls.create_complaint(
            partner_id=cls.secret.id,
            description="<p>Mijn uitkering is gestopt sinds ik ziek ben.</p>",
            user_id=cls.colleague.id,
        )
        cls.secret_case.sudo().message_subscribe(partner_ids=cls.secret.ids)

    def test_a_medewerker_cannot_read_another_complainant_through_their_own_case(self):
        """Naming any contact id complainant of one's own case would show its e-mail and
        phone, then the whole contact (the employee rule follows the contact's
        cases)."""
        Partner = self.env["res.partner"].with_user(self.employee)
        self.assertFalse(Partner.search([("id", "=", self.secret.id)]))
        own = self.create_complaint(user=self.employee, partner_id=False)
        leaked = {}
        with suppress(AccessError, UserError):
            own.with_user(self.employee).write({"partner_id": self.secret.id})
            leaked = own.with_user(self.employee).read(
                ["partner_email", "partner_phone"]
            )[0]
            leaked.update(self.secret.with_user(self.employee).read(["street"])[0])
        self.assertNotIn("geheim@example.com", str(leaked))
        self.assertNotIn("Dorpsstraat", str(leaked))

    def test_a_medewerker_cannot_read_another_complainant_through_onchange(self):
        """The same without saving anything: the form's onchange."""
        result = {}
        with suppress(AccessError, UserError):
            result = self.Complaint.with_user(self.employee).onchange(
                {"partner_id": self.secret.id, "subject": "x"},
                ["partner_id"],
                {"partner_id": {}, "partner_email": {}, "partner_phone": {}},
            )
        self.assertNotIn("geheim@example.com", str(result))
        self.assertNotIn("06 99999999", str(result))

    def test_a_coordinator_cannot_read_another_companys_complainant(self):
        """The same through a case of the coordinator's own company: the contact
        belongs to the other company."""
        coordinator = new_test_user(
            self.env,
            "mc_sec_coord_elsewhere",
            groups=f"{MODULE}.group_complaint_coordinator",
            company_id=self.other_company.id,
            company_ids=[self.other_company.id],
        )
        Partner = self.env["res.partner"].with_user(coordinator)
        self.assertFalse(Partner.search([("id", "=", self.secret.id)]))
        leaked = {}
        with suppress(AccessError, UserError):
            own = self.Complaint.with_user(coordinator).create(
                {
                    "subject": "Eigen zaak",
                    "category_id": self.category_bejegening.id,
                    "partner_id": self.secret.id,
                }
            )
            leaked = own.read(["partner_email", "partner_phone"])[0]
        self.assertNotIn("geheim@example.com", str(leaked))

    def test_followers_do_not_name_complainants_to_users_without_a_role(self):
        """Every internal user reads mail.followers: not those of a case they may not
        read."""
        try:
            rows = (
                self.env["mail.followers"]
                .with_user(self.outsider)
                .search_read(
                    [("res_model", "=", "municipal.complaint")],
                    ["res_id", "name", "email"],
                )
            )
        except AccessError:
            rows = []
        self.assertNotIn("geheim@example.com", str(rows))
        self.assertNotIn("Geheime Klager", str(rows))

    def test_notifications_do_not_name_complainants_to_users_without_a_role(self):
        """Every internal user reads mail.notification: not those of a case they may
        not read (the recipient, the subject with the reference)."""
        self.secret_case.with_user(self.coordinator).action_send_acknowledgment()
        try:
            rows = (
                self.env["mail.notification"]
                .with_user(self.outsider)
                .search_read([], ["res_partner_id", "mail_message_id"])
            )
        except AccessError:
            rows = []
        self.assertNotIn("Geheime Klager", str(rows))
        self.assertNotIn(self.secret_case.name, str(rows))

    def test_follower_and_notification_rows_read_by_id_name_nobody(self):
        """The same rows asked for by id (JSON-RPC ``read``, no search): refused,
        while the recipient still reads their own notification."""
        self.secret_case.with_user(self.coordinator).action_send_acknowledgment()
        followers = self.env["mail.followers"].search(
            [
                ("res_model", "=", "municipal.complaint"),
                ("res_id", "=", self.secret_case.id),
            ]
        )
        notifications = self.env["mail.notification"].search(
            [("mail_message_id", "in", self.secret_case.message_ids.ids)]
        )
        self.assertTrue(followers)
        self.assertTrue(notifications)
        for rows, fields_ in (
            # no field of another record: the row alone says who complained
            (followers, ["res_model", "res_id"]),
            (notifications, ["notification_type", "is_read"]),
        ):
            with self.assertRaises(AccessError):
                rows.with_user(self.outsider).read(fields_)
        own = notifications.filtered(
            lambda row: row.res_partner_id == self.coordinator.partner_id
        )
        if own:
            self.assertTrue(own.with_user(self.coordinator).read(["mail_message_id"]))

    def test_users_without_a_role_cannot_find_who_complained(self):
        """A search on the contacts' complaints would answer what the hidden complaint
        count does not."""
        citizen = new_test_user(
            self.env, "mc_sec_citizen", groups="base.group_portal", name="Sanne"
        )
        self.create_complaint(partner_id=citizen.partner_id.id)
        Partner = self.env["res.partner"].with_user(self.outsider)
        self.assertEqual(Partner.browse(citizen.partner_id.id).complaint_count, 0)
        try:
            found = Partner.search([("complaint_ids", "!=", False)])
        except AccessError:
            found = Partner
        self.assertNotIn(citizen.partner_id, found)

    def test_contact_creation_does_not_open_a_partners_cases(self):
        """Odoo's "Contact Creation" right does not make a portal account a contact of
        a contract partner, which would read the cases referred to it."""
        org = self.env["res.partner"].create(
            {"name": "Werkbedrijf", "is_company": True, "is_complaint_partner": True}
        )
        case = self.create_complaint(
            referral_partner_id=org.id,
            mediation_state="ongoing",
            referral_text="Twee keer geen coach; klager is ziek.",
            category_id=self.category_doorverwijzing.id,
        )
        accomplice = new_test_user(
            self.env, "mc_sec_accomplice", groups="base.group_portal"
        )
        insider = new_test_user(
            self.env,
            "mc_sec_insider",
            groups="base.group_user,base.group_partner_manager",
        )
        read = []
        with suppress(AccessError, UserError):
            accomplice.partner_id.with_user(insider).write({"parent_id": org.id})
            read = case.with_user(accomplice).read(["referral_text"])
        self.assertNotIn("ziek", str(read))

    def test_contact_creation_does_not_enrol_someone_at_a_contract_partner(self):
        """Nor does it add a contact with any address to a contract partner, who would
        get a portal account at the next referral."""
        org = self.env["res.partner"].create(
            {"name": "Schuldhulp", "is_company": True, "is_complaint_partner": True}
        )
        self.env["res.partner"].create(
            {"name": "Kees", "parent_id": org.id, "email": "kees@schuldhulp.example"}
        )
        insider = new_test_user(
            self.env,
            "mc_sec_insider_enrol",
            groups="base.group_user,base.group_partner_manager",
        )
        planted = self.env["res.partner"]
        with suppress(AccessError, UserError):
            planted = (
                self.env["res.partner"]
                .with_user(insider)
                .create(
                    {
                        "name": "Nieuwe collega",
                        "parent_id": org.id,
                        "email": "insider@example.net",
                    }
                )
            )
        case = self.create_complaint(
            description="<p>Schulden en ziekte.</p>", subject="Schuldhulp"
        )
        case.with_user(self.coordinator).action_refer(
            org, shared_text="Schulden en ziekte."
        )
        account = planted.sudo().user_ids
        read = []
        if account:
            with suppress(AccessError):
                read = case.with_user(account).read(["referral_text"])
        self.assertNotIn("ziekte", str(read))

    def test_contact_creation_does_not_redirect_a_complainants_letters(self):
        """Nor does it change a complainant's e-mail address, where every later
        letter of the case goes."""
        citizen = new_test_user(
            self.env,
            "mc_sec_citizen_mail",
            groups="base.group_portal",
            email="sanne@example.com",
        )
        self.create_complaint(partner_id=citizen.partner_id.id)
        insider = new_test_user(
            self.env,
            "mc_sec_insider_mail",
            groups="base.group_user,base.group_partner_manager",
        )
        with suppress(AccessError, UserError):
            citizen.partner_id.with_user(insider).write(
                {"email": "insider@example.net"}
            )
        self.assertEqual(citizen.partner_id.email, "sanne@example.com")

    def test_deleting_the_complainants_contact_keeps_the_case_and_the_log(self):
        """A complainant's contact is not deleted: a closed case keeps its
        complainant, and nobody removes access-log entries."""
        registrar = new_test_user(
            self.env,
            "mc_sec_registrar",
            groups=f"{MODULE}.group_complaint_user,base.group_partner_manager",
        )
        contact = (
            self.env["res.partner"]
            .with_user(registrar)
            .with_context(default_is_complainant_contact=True)
            .create({"name": "Nieuwe Klager", "phone": "06 1111"})
        )
        closed = self.create_complaint(
            user=registrar, partner_id=contact.id, closed_date="2026-03-20"
        )
        contact.with_user(self.coordinator).read(["phone"])
        log = (
            self.env["municipal.complaint.access.log"]
            .sudo()
            .search([("partner_id", "=", contact.id)])
        )
        self.assertTrue(log)
        with suppress(AccessError, UserError):
            contact.with_user(registrar).unlink()
        self.assertEqual(closed.partner_id, contact)
        self.assertTrue(log.exists(), "an access-log entry disappeared")

    def test_registered_from_message_is_not_a_window_on_any_message(self):
        """``source_message_id`` is set by the signal step only: a case would show the
        subject of any message of the database."""
        message = self.env["mail.message"].create(
            {
                "subject": "Personeelszaak: ontslag P. Pietersen",
                "body": "x",
                "model": "res.partner",
                "res_id": self.env.user.partner_id.id,
                "message_type": "comment",
            }
        )
        read = []
        with suppress(AccessError, UserError):
            case = self.Complaint.with_user(self.employee).create(
                {
                    "subject": "Gesprek",
                    "category_id": self.category_bejegening.id,
                    "source_message_id": message.id,
                }
            )
            read = case.read(["source_message_id"])
        self.assertNotIn("Pietersen", str(read))
