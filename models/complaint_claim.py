"""The confirmation link: how a complaint filed without logging in reaches the
complainant's portal account.

A complaint that arrives through the public form or by e-mail only carries an
address somebody typed. It is registered on a contact of its own and shows in no
portal account (see ``complaint_intake.py``). The acknowledgment sent to that
address carries a link; whoever follows it, logged in to the portal account with
that same address as its login, adds the complaint to that account. The link can be
used once, expires, and stops working when the Dienst corrects the complainant.
Only a hash of it is stored: the working link is in the e-mail that goes out, not in
the message kept on the case.
"""

import hashlib
import secrets
from datetime import timedelta

import lxml.html
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, email_normalize

CLAIM_VALID_DAYS = 14
CLAIM_ROUTE = "/my/complaints/confirm"
# what a letter's preview shows instead of a link: the link is issued when it is sent
CLAIM_PREVIEW_TOKEN = "link-made-when-sent"


def _hash(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


class MunicipalComplaintClaim(models.Model):
    _name = "municipal.complaint.claim"
    _description = "Complaint confirmation link"
    _order = "id desc"

    complaint_id = fields.Many2one(
        "municipal.complaint",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    email = fields.Char(
        required=True, readonly=True, help="The address the link was sent to."
    )
    token_hash = fields.Char(required=True, readonly=True, index=True)
    expiration_date = fields.Datetime(required=True, readonly=True)
    used_date = fields.Datetime(readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Confirmed by",
        readonly=True,
        ondelete="set null",
    )

    @api.model
    def _issue(self, complaint):
        """A new link for the complainant of ``complaint``; returns its URL, or
        ``False`` when the complainant has no address to send it to."""
        email = email_normalize(complaint.partner_id.email or "")
        if not email:
            return False
        token = secrets.token_urlsafe(32)
        self.sudo().create(
            {
                "complaint_id": complaint.id,
                "email": email,
                "token_hash": _hash(token),
                "expiration_date": fields.Datetime.now()
                + timedelta(days=CLAIM_VALID_DAYS),
            }
        )
        return f"{complaint.get_base_url()}{CLAIM_ROUTE}/{token}"

    @api.model
    def _find(self, token):
        """The open link for ``token`` (sudo-ed), or an empty recordset: used,
        expired and unknown links look the same to whoever follows them."""
        return (
            self.sudo()
            .search(
                [
                    ("token_hash", "=", _hash(token)),
                    ("used_date", "=", False),
                    ("expiration_date", ">", fields.Datetime.now()),
                ],
                limit=1,
            )
            .exists()
        )

    def _check_user(self, user):
        """Who may confirm: a portal user who logs in with the address the link was
        sent to, while the case still has that complainant and is open. The login,
        not the account's e-mail address: that one its owner types, the login is
        the address the account was made for."""
        self.ensure_one()
        if not user._is_portal():
            raise AccessError(
                self.env._(
                    "Log in with the portal account of the address this link was "
                    "sent to."
                )
            )
        if email_normalize(user.sudo().login or "") != self.email:
            raise UserError(
                self.env._(
                    "This link was sent to another e-mail address than the one you "
                    "log in with. Log in with the account of that address, or "
                    "contact us."
                )
            )
        complaint = self.complaint_id
        if email_normalize(complaint.partner_id.email or "") != self.email:
            raise UserError(
                self.env._("This link is no longer valid. Please contact us.")
            )
        if complaint.is_closed:
            raise UserError(
                self.env._(
                    "Complaint %(reference)s has been handled; contact us if you "
                    "want to follow it online.",
                    reference=complaint.name,
                )
            )

    def _confirm(self, user):
        """Add the case to ``user``'s account: the user's contact becomes the
        complainant, and every open link of the case ends."""
        self.ensure_one()
        # one confirmation per link, also when it is followed twice at once
        self.env.cr.execute(
            SQL(
                "SELECT id FROM municipal_complaint_claim "
                "WHERE id = %s AND used_date IS NULL FOR UPDATE",
                self.id,
            )
        )
        if not self.env.cr.fetchone():
            raise UserError(
                self.env._("This link is no longer valid. Please contact us.")
            )
        self._check_user(user)
        complaint = self.complaint_id.sudo()
        previous = complaint.partner_id
        complaint.write({"partner_id": user.partner_id.id})
        self.sudo().search(
            [("complaint_id", "=", complaint.id), ("used_date", "=", False)]
        ).write({"used_date": fields.Datetime.now()})
        self.sudo().write({"user_id": user.id})
        complaint._message_log(
            body=self.env._(
                "The complainant confirmed the address %(email)s: the complaint is "
                "now followed in the portal account of %(user)s (was the contact "
                "%(contact)s).",
                email=self.email,
                user=user.partner_id.display_name,
                contact=previous.display_name,
            )
        )
        return complaint

    @api.autovacuum
    def _gc_old_claims(self):
        """A link is kept a while after it expired or was used, then deleted."""
        limit = fields.Datetime.now() - timedelta(days=CLAIM_VALID_DAYS)
        self.sudo().search(
            ["|", ("expiration_date", "<", limit), ("used_date", "<", limit)]
        ).unlink()


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    def _remove_personal_records(self):
        """Anonymising a case also removes its confirmation links: they hold the
        address they were sent to."""
        self.env["municipal.complaint.claim"].sudo().search(
            [("complaint_id", "in", self.ids)]
        ).unlink()
        return super()._remove_personal_records()

    def _complaint_claim_url(self):
        """The confirmation link for an acknowledgment, when the complaint is not
        yet in a portal account: its complainant has no user. A letter's preview
        issues none (it is undone): it shows a stand-in, which the letter as sent
        gets replaced by the link issued then (``_complaint_claim_body``)."""
        self.ensure_one()
        if (
            not self.partner_id
            or self.partner_id.with_context(active_test=False).user_ids
        ):
            return False
        if self._letter_preview():
            return f"{self.get_base_url()}{CLAIM_ROUTE}/{CLAIM_PREVIEW_TOKEN}"
        return self.env["municipal.complaint.claim"]._issue(self)

    def _complaint_claim_body(self, body, url):
        """The e-mail ``body`` of this case's acknowledgment as it goes out: with
        ``url``, the link issued now, where the preview showed its stand-in."""
        self.ensure_one()
        if not url or not body:
            return body
        stand_in = f"{self.get_base_url()}{CLAIM_ROUTE}/{CLAIM_PREVIEW_TOKEN}"
        return Markup(str(body).replace(stand_in, url))

    @api.model
    def _strip_claim_links(self, body):
        """``body`` without confirmation links, for the message kept on the case:
        whoever reads the chatter, the inzage export or a backup finds no working
        link there (the e-mail that went out had it)."""
        if not body or CLAIM_ROUTE not in str(body):
            return body
        root = lxml.html.fromstring(f"<div>{body}</div>")
        for link in root.iter("a"):
            if CLAIM_ROUTE in (link.get("href") or ""):
                link.drop_tag()
        html = lxml.html.tostring(root, encoding="unicode")
        return Markup(html[len("<div>") : -len("</div>")])
