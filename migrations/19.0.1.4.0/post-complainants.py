"""The complainants of the previous releases, brought under this version's rules.

Before 19.0.1.3.0 the public form and the mail alias took the oldest contact with the
typed address as the complainant (a portal account that had taken that address
included), and made new contacts without the complainant's mark, so every internal
user read them. This script marks those contacts and gives every complaint that the
old intake put in a user's account a contact of its own: it shows in that account
only after the owner of the address confirms the link mailed to them
(models/complaint_claim.py).
"""

from odoo import SUPERUSER_ID, api

from odoo.addons.municipal_complaint.models.complaint_lifecycle import (
    HISTORY_IMPORT_KEY,
)

# the channels of the intake, which only had an address somebody typed
INTAKE_CHANNELS = ("web_form", "email")
CONFIRMATION_TEMPLATE = "municipal_complaint.mail_template_claim_confirmation"


def _has_user(partner):
    """A user's contact, or a contact under one (a delivery address)."""
    partner = partner.with_context(active_test=False)
    while partner:
        if partner.user_ids:
            return True
        partner = partner.parent_id
    return False


def _unbind(env, complaints):
    """Give each of these cases a contact of its own, a copy of the user's name and
    address; the user's contact no longer follows it. Returns the open ones."""
    Partner = env["res.partner"]
    for complaint in complaints:
        old = complaint.partner_id
        contact = Partner.create(
            {
                "name": old.name,
                "email": old.email,
                "phone": old.phone,
                "lang": old.lang,
                **complaint._get_complainant_contact_values(complaint.company_id),
            }
        )
        # a closed case's record is frozen: this is a correction of the register
        complaint.with_context(**{HISTORY_IMPORT_KEY: True}).write(
            {"partner_id": contact.id}
        )
        complaint.message_unsubscribe(partner_ids=old.ids)
        complaint.message_subscribe(partner_ids=contact.ids)
    return complaints.filtered(lambda complaint: not complaint.is_closed)


def _mark(env, complaints):
    """Mark the plain contacts the old intake made or took for these cases as
    complainants' contacts, of the company of their cases when that is one."""
    by_partner = {}
    for complaint in complaints:
        by_partner.setdefault(complaint.partner_id, set()).add(complaint.company_id)
    for partner, companies in by_partner.items():
        if (
            partner.is_complainant_contact
            or partner.is_company
            or partner.is_complaint_partner
            or partner.parent_id
            or partner.with_context(active_test=False).child_ids
        ):
            continue
        values = {"is_complainant_contact": True}
        if not partner.company_id and len(companies) == 1:
            values["company_id"] = next(iter(companies)).id
        partner.write(values)


def migrate(cr, version):
    """Hide the earlier complainants, and take the complaints the old intake put in
    a user's account out of it until the owner of the address confirms them."""
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    complaints = (
        env["municipal.complaint"]
        .with_context(active_test=False)
        .search(
            [
                ("channel", "in", INTAKE_CHANNELS),
                ("partner_id", "!=", False),
                ("anonymised_date", "=", False),
            ]
        )
    )
    # a complaint whose owner confirmed the link (19.0.1.3.0) stays in their account
    confirmed = (
        env["municipal.complaint.claim"]
        .search([("complaint_id", "in", complaints.ids), ("used_date", "!=", False)])
        .complaint_id
    )
    bound = complaints.filtered(
        lambda complaint: complaint not in confirmed and _has_user(complaint.partner_id)
    )
    to_confirm = _unbind(env, bound)
    _mark(env, complaints - bound)
    for complaint in to_confirm.filtered(lambda complaint: complaint.partner_id.email):
        complaint._post_complainant_mail(CONFIRMATION_TEMPLATE)
    env.flush_all()
