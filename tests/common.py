"""Shared set-up: the people of the access table (README, "Toegang") and a way to
register a case."""

from datetime import date

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

from odoo.addons.municipal_complaint.models.complaint_lifecycle import (
    HISTORY_IMPORT_KEY,
    STATE_FIELDS,
)

MODULE = "municipal_complaint"


class ComplaintCase(TransactionCase):
    """Users per group, the shipped categories, and :meth:`create_complaint`."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_notrack=True)
        )
        # The harness's databases speak Dutch (nl_NL loaded, the default language of
        # new contacts). These tests assert the English source texts: people created
        # here get English (activated: a database created in Dutch has only Dutch
        # active); tests of the Dutch interface set nl_NL explicitly.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env["ir.default"].set("res.partner", "lang", "en_US")
        cls.Complaint = cls.env["municipal.complaint"]
        cls.company = cls.env.company
        ref = cls.env.ref
        cls.category_bejegening = ref(f"{MODULE}.category_bejegening")
        cls.category_informatie = ref(f"{MODULE}.category_informatie")
        cls.category_beleid = ref(f"{MODULE}.category_beleid")
        cls.category_doorverwijzing = ref(f"{MODULE}.category_doorverwijzing")
        cls.category_proactief = ref(f"{MODULE}.category_proactief")
        cls.stage_received = ref(f"{MODULE}.stage_received")
        cls.stage_contacted = ref(f"{MODULE}.stage_contacted")
        cls.stage_closed = ref(f"{MODULE}.stage_closed")

        cls.employee = new_test_user(
            cls.env,
            "mc_employee",
            groups=f"{MODULE}.group_complaint_user",
            name="Eva Medewerker",
        )
        cls.colleague = new_test_user(
            cls.env,
            "mc_colleague",
            groups=f"{MODULE}.group_complaint_user",
            name="Cor Collega",
        )
        cls.coordinator = new_test_user(
            cls.env,
            "mc_coordinator",
            groups=f"{MODULE}.group_complaint_coordinator",
            name="Karin Coördinator",
        )
        cls.manager = new_test_user(
            cls.env,
            "mc_manager",
            groups=f"{MODULE}.group_complaint_manager",
            name="Bram Beheerder",
        )
        cls.outsider = new_test_user(
            cls.env, "mc_outsider", groups="base.group_user", name="Olaf Anders"
        )
        cls.complainant = cls.env["res.partner"].create(
            {
                "name": "J. Jansen",
                "email": "j.jansen@example.com",
                "phone": "06 12345678",
            }
        )

    @classmethod
    def create_complaint(cls, user=None, **values):
        """Register a case as ``user`` (default: the coordinator). A case set up with
        state (a decision date, a referral, ...) comes in as the import of a historic
        register does: only that path brings state along."""
        vals = {
            "subject": "Niet teruggebeld",
            "category_id": cls.category_bejegening.id,
            "channel": "phone",
            "received_date": date(2026, 3, 11),
            "partner_id": cls.complainant.id,
        }
        vals.update(values)
        Complaint = cls.Complaint.with_user(user or cls.coordinator)
        if STATE_FIELDS & set(values):
            Complaint = Complaint.sudo().with_context(**{HISTORY_IMPORT_KEY: True})
        return (
            Complaint.create(vals)
            .with_context(**{HISTORY_IMPORT_KEY: False})
            .sudo(False)
        )

    @staticmethod
    def set_history(complaint, **values):
        """Correct the recorded state of a case, as an import of a historic register
        does."""
        complaint.sudo().with_context(**{HISTORY_IMPORT_KEY: True}).write(values)
