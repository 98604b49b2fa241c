"""Intake without formalities: the public web form and the mail alias.

Both entry paths end in :meth:`MunicipalComplaint._create_from_intake` or
:meth:`MunicipalComplaint.message_new`, so the rules (limits, contact matching,
the default category) hold whatever the channel. The acknowledgment to the
complainant is not sent here: it belongs to the create hook of the deadlines
concern, which sees every new case.
"""

import hashlib
import hmac
import ipaddress
import logging
import zlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize, parse_contact_from_email, plaintext2html

from .complaint_upload import DEFAULT_UPLOAD_EXTENSIONS, UPLOAD_MIMETYPES

_logger = logging.getLogger(__name__)

# The longest value the form accepts per field; the form's inputs say the same.
INTAKE_MAX_LENGTHS = {
    "name": 128,
    "email": 254,
    "phone": 32,
    "subject": 200,
    "description": 20000,
}
# First key of the transaction-level advisory lock that serialises the submissions
# of one client address (the second key is taken from the address's hash).
INTAKE_LOCK_NAMESPACE = zlib.crc32(b"municipal_complaint.intake") & 0x7FFFFFFF
# A ``From:`` proves nothing: one address opens at most this many cases a day by
# e-mail (as many as it gets acknowledgments); a further new e-mail joins the latest
# of them, so nobody fills the register with forged complaints.
MAIL_MAX_NEW_CASES_PER_ADDRESS_PER_DAY = 3


class ResCompany(models.Model):
    """Limits of the public complaint form, per organisation."""

    _inherit = "res.company"

    complaint_intake_max_size = fields.Integer(
        string="Maximum size per attachment (MB)",
        default=10,
        help="Attachments sent with the public complaint form, or by e-mail to "
        "the complaint address, may not be larger than this.",
    )
    complaint_intake_extensions = fields.Char(
        string="Allowed attachment types",
        default=DEFAULT_UPLOAD_EXTENSIONS,
        help="File extensions accepted by the public complaint form, separated by "
        "commas. The content of each file is checked too.",
    )
    complaint_intake_rate_limit = fields.Integer(
        string="Complaints per address per hour",
        default=5,
        help="How many complaints the public form accepts per "
        "hour from one network address.",
    )
    complaint_intake_category_id = fields.Many2one(
        "municipal.complaint.category",
        string="Category of new intake",
        help="Category given to complaints that arrive through the web form or by "
        "e-mail, until the klachtcoördinator classifies them (default: Overig).",
    )

    @api.constrains(
        "complaint_intake_max_size",
        "complaint_intake_rate_limit",
        "complaint_intake_extensions",
    )
    def _check_complaint_intake_limits(self):
        for company in self:
            if (
                company.complaint_intake_max_size < 1
                or company.complaint_intake_rate_limit < 1
            ):
                raise ValidationError(
                    self.env._(
                        "The attachment size and the number of "
                        "complaints per hour must be at least 1."
                    )
                )
            unknown = set(company._get_complaint_intake_extensions()) - set(
                UPLOAD_MIMETYPES
            )
            if unknown:
                raise ValidationError(
                    self.env._(
                        "Unknown attachment types: %(types)s. Known types: %(known)s.",
                        types=", ".join(sorted(unknown)),
                        known=", ".join(sorted(UPLOAD_MIMETYPES)),
                    )
                )

    def _get_complaint_intake_extensions(self):
        self.ensure_one()
        return [
            ext.strip().lstrip(".").lower()
            for ext in (self.complaint_intake_extensions or "").split(",")
            if ext.strip()
        ]

    def _get_complaint_intake_category(self):
        """The category for new intake: the configured one, else
        Overig, else any complaint one."""
        self.ensure_one()
        category = self.complaint_intake_category_id
        if not category.active:
            category = self.env.ref(
                "municipal_complaint.category_overig", raise_if_not_found=False
            )
        if not category or not category.active:
            category = self.env["municipal.complaint.category"].search(
                [("kind", "=", "complaint"), ("company_id", "in", [self.id, False])],
                limit=1,
            )
        return category


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_intake_max_size = fields.Integer(
        related="company_id.complaint_intake_max_size", readonly=False
    )
    complaint_intake_extensions = fields.Char(
        related="company_id.complaint_intake_extensions", readonly=False
    )
    complaint_intake_rate_limit = fields.Integer(
        related="company_id.complaint_intake_rate_limit", readonly=False
    )
    complaint_intake_category_id = fields.Many2one(
        related="company_id.complaint_intake_category_id", readonly=False
    )
    complaint_intake_alias_email = fields.Char(
        string="Complaint e-mail address",
        compute="_compute_complaint_intake_alias_email",
    )

    def _compute_complaint_intake_alias_email(self):
        alias = self.env.ref(
            "municipal_complaint.mail_alias_complaints", raise_if_not_found=False
        )
        for settings in self:
            settings.complaint_intake_alias_email = (
                alias.sudo().display_name if alias else False
            )


class MunicipalComplaintIntakeSubmission(models.Model):
    """One accepted web-form submission, kept a day to limit
    submissions per client address.

    The address itself is never stored, only a keyed hash of it. The counter lives in
    the database because several Odoo workers serve the form behind a proxy.
    """

    _name = "municipal.complaint.intake.submission"
    _description = "Complaint web form submission (rate limit)"
    _order = "create_date desc, id desc"

    client_key = fields.Char(required=True, index=True, readonly=True)

    @api.model
    def _client_key(self, client_address):
        secret = (
            self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        )
        return hmac.new(
            secret.encode(),
            self._client_network(client_address).encode(),
            hashlib.sha256,
        ).hexdigest()

    @api.model
    def _client_network(self, client_address):
        """What counts as one client: an IPv6 client is given a whole /64 by its
        provider (RFC 6177) and may send from any address in it, so the /64 is
        the client; an IPv4 address, also written IPv4-mapped, is itself."""
        try:
            address = ipaddress.ip_address((client_address or "").strip())
        except ValueError:
            return client_address or "unknown"
        if address.version == 6 and address.ipv4_mapped:
            return str(address.ipv4_mapped)
        if address.version == 6:
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
        return str(address)

    @api.model
    def _reserve(self, client_address, limit):
        """Count a submission from this address, or refuse it when the address
        reached ``limit`` in the last hour; exact however many workers serve the
        form at once.

        A transaction-level advisory lock on the address's key makes the
        submissions of one address wait for each other until commit. The count
        then runs in a fresh cursor: this request's cursor has a REPEATABLE READ
        snapshot taken before it waited, in which a submission committed
        meanwhile is invisible. The new row is part of this transaction, so a
        submission that fails later is not counted.

        :raise UserError: when the limit is reached; then nothing is stored.
        """
        client_key = self._client_key(client_address)
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [INTAKE_LOCK_NAMESPACE, int(client_key[:8], 16) - 0x80000000],
        )
        with self.env.registry.cursor() as cr:
            recent = self.with_env(self.env(cr=cr))._count_recent(client_key)
        if recent >= limit:
            raise UserError(
                self.env._(
                    "We received several complaints from your address in the last "
                    "hour. Please try again later, or call us."
                )
            )
        return self.sudo().create({"client_key": client_key})

    @api.model
    def _count_recent(self, client_key, hours=1):
        since = fields.Datetime.now() - timedelta(hours=hours)
        return self.sudo().search_count(
            [("client_key", "=", client_key), ("create_date", ">=", since)]
        )

    @api.autovacuum
    def _gc_old_submissions(self):
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    @api.model
    def _create_from_intake(self, values, attachments=(), client_address=None):
        """Register a complaint filed through the public web form.

        :param dict values: ``name``, ``email``, ``phone``, ``subject``, ``description``
            (plain text) and ``privacy_accepted`` as the citizen typed them;
        :param attachments: ``(filename, content)`` tuples, content as bytes;
        :param str client_address: the client's network address, for the hourly limit.
        :return: the new case
        :raise UserError: on any bad input; then nothing is stored.

        Called in sudo by the public controller. Every
        check comes before the first write; the caller rolls back on an error.
        """
        company = self.env.company
        clean = self._intake_check_values(values)
        self._intake_check_attachments(attachments, company)
        category = company._get_complaint_intake_category()
        if not category:
            raise UserError(
                self.env._("The complaint form is not available yet. Please call us.")
            )
        # the last check, and the first write: the submission counts from here on
        self.env["municipal.complaint.intake.submission"]._reserve(
            client_address, company.complaint_intake_rate_limit
        )

        partner = self._intake_find_or_create_partner(clean)
        complaint = self.with_context(mail_create_nosubscribe=True).create(
            {
                "subject": clean["subject"],
                "description": plaintext2html(clean["description"]),
                "channel": "web_form",
                "category_id": category.id,
                "partner_id": partner.id,
                "company_id": company.id,
            }
        )
        if partner:
            complaint.message_subscribe(partner_ids=partner.ids)
        if attachments:
            # the files as the complainant's first message,
            # so they see them in the portal
            complaint.message_post(
                body=self.env._("Documents sent with the complaint."),
                author_id=partner.id or self.env.ref("base.public_partner").id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachments=[(name, content) for name, content in attachments],
            )
        complaint._message_log(
            body=self.env._(
                "Filed through the web form. Name: %(name)s, "
                "e-mail: %(email)s, phone: %(phone)s.",
                name=clean["name"] or "-",
                email=clean["email"] or "-",
                phone=clean["phone"] or "-",
            )
        )
        return complaint

    @api.model
    def _intake_check_values(self, values):
        """Validate and strip the typed values; return them cleaned. The limits hold
        on the server whatever the browser sends: a length per field, and no
        control characters -- a line break in a name or an address would end up in
        a mail header, a NUL byte cannot be stored."""
        clean = {
            key: (values.get(key) or "").strip()
            for key in ("name", "email", "phone", "subject", "description")
        }
        for key, label in self._intake_field_labels().items():
            allowed = "\t\r\n" if key == "description" else ""
            if any(ord(char) < 32 and char not in allowed for char in clean[key]) or (
                "\x7f" in clean[key]
            ):
                raise UserError(
                    self.env._(
                        "The field %(field)s contains characters that cannot be "
                        "sent (such as a line break or a control character). Please "
                        "check it.",
                        field=label,
                    )
                )
            if len(clean[key]) > INTAKE_MAX_LENGTHS[key]:
                raise UserError(
                    self.env._(
                        "The field %(field)s is too long (at most %(max)s characters).",
                        field=label,
                        max=INTAKE_MAX_LENGTHS[key],
                    )
                )
        if not clean["subject"]:
            raise UserError(
                self.env._(
                    "Please tell us in a few words what your complaint is about."
                )
            )
        if not clean["description"]:
            raise UserError(self.env._("Please describe what happened."))
        if clean["email"] and not email_normalize(clean["email"]):
            raise UserError(
                self.env._(
                    "The e-mail address %(email)s is not valid.", email=clean["email"]
                )
            )
        if not values.get("privacy_accepted"):
            raise UserError(
                self.env._("Please confirm that you have read the privacy statement.")
            )
        return clean

    def _intake_field_labels(self):
        """The form's fields as the citizen reads them, for the error messages."""
        return {
            "name": self.env._("Name"),
            "email": self.env._("E-mail"),
            "phone": self.env._("Phone"),
            "subject": self.env._("What is your complaint about?"),
            "description": self.env._("What happened?"),
        }

    @api.model
    def _intake_find_or_create_partner(self, clean):
        """The complainant of a web-form complaint.

        A citizen logged in to the portal files as themselves: the complaint is
        theirs at once. Anyone else has only typed an address, which proves
        nothing: the complaint gets a contact of its own -- never an existing one,
        which may belong to a user, to a household member, or to a portal account
        that took the address -- and reaches a portal account only through the
        confirmation link sent to that address (``municipal.complaint.claim``).
        What was typed is also logged on the case. Without name, e-mail and phone
        the complaint is anonymous.
        """
        if self.env.user._is_portal():
            return self.env.user.partner_id
        email = email_normalize(clean["email"]) if clean["email"] else False
        if not (clean["name"] or email or clean["phone"]):
            return self.env["res.partner"]
        return self._intake_create_partner(clean["name"], email, clean["phone"])

    @api.model
    def _intake_create_partner(self, name, email, phone=False):
        """The one place where intake creates a complainant's contact: a new
        contact, owned by nobody, for one complaint (the Dienst merges duplicates
        by hand when it knows they are the same person), marked as a
        complainant's contact of the current company (res_partner_complainant.py)."""
        return (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": name or email or phone,
                    "email": email or False,
                    "phone": phone or False,
                    **self._get_complainant_contact_values(),
                }
            )
        )

    def _creation_message(self):
        """The chatter's first line, in the language of who registered the case
        (mail's default names the model, whose name is not translated yet while
        demo data and imports load: "Complaint aangemaakt")."""
        lang = self.env.lang or self.env.user.lang
        return self.with_context(lang=lang).env._("Complaint registered")

    def action_open_full_case(self):
        """From the short registration form to the full case."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------ mail gateway
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to the complaint alias becomes a case with channel ``email``.

        The sender is the complainant, with a contact of their own (see
        :meth:`_intake_partner_from_email`), who is also the author of the incoming
        message: the gateway would otherwise name any contact with that address,
        and its user could read the message. The reference comes from the sequence,
        so the base implementation (which puts the subject in ``name``) is not
        used. Attachments are posted with the incoming message by the gateway.
        """
        values = dict(custom_values or {})
        company = (
            self.env["res.company"].browse(values.get("company_id")) or self.env.company
        )
        latest = self._intake_mail_over_limit(msg_dict)
        if latest:
            return latest
        partner, author = self.with_company(company)._intake_partner_from_email(
            msg_dict
        )
        msg_dict["author_id"] = author.id
        values.setdefault(
            "subject",
            (msg_dict.get("subject") or "").strip() or self.env._("(no subject)"),
        )
        values.setdefault("description", msg_dict.get("body") or False)
        values.setdefault("channel", "email")
        values.setdefault("category_id", company._get_complaint_intake_category().id)
        values.setdefault("company_id", company.id)
        if partner:
            values.setdefault("partner_id", partner.id)
        complaint = self.with_context(mail_create_nosubscribe=True).create(values)
        if complaint.partner_id:
            complaint.message_subscribe(partner_ids=complaint.partner_id.ids)
        return complaint

    @api.model
    def _intake_mail_over_limit(self, msg_dict):
        """The case a new e-mail joins when its sender already opened the day's
        maximum of cases by e-mail (``MAIL_MAX_NEW_CASES_PER_ADDRESS_PER_DAY``):
        their latest, which notes it for the handler; else an empty recordset."""
        email = email_normalize(
            parse_contact_from_email(msg_dict.get("email_from") or "")[1]
        )
        if not email or self._internal_partner_of(email):
            return self.browse()
        today = self.sudo().search(
            [
                ("channel", "=", "email"),
                ("received_date", "=", fields.Date.context_today(self)),
                ("partner_id.email_normalized", "=", email),
            ],
            order="id desc",
        )
        if len(today) < MAIL_MAX_NEW_CASES_PER_ADDRESS_PER_DAY:
            return self.browse()
        latest = today[0]
        msg_dict["author_id"] = latest.partner_id.id
        latest._message_log(
            body=self.env._(
                "A new e-mail from this address was added to this case instead of "
                "opening a case: %(max)s cases came by e-mail from it today. "
                "Register it as a case of its own if it is a new complaint.",
                max=MAIL_MAX_NEW_CASES_PER_ADDRESS_PER_DAY,
            )
        )
        _logger.info(
            "Complaint by e-mail over the daily limit of its sender: added to "
            "case %s instead of a new case",
            latest.id,
        )
        return latest

    @api.model
    def _intake_partner_from_email(self, msg_dict):
        """The complainant of an e-mailed complaint and the author of the mail.

        The ``From:`` header proves nothing, so the complaint is never bound to an
        existing contact: it gets a contact of its own made from the sender's name
        and address (:meth:`_intake_create_partner`), which is also the author. An
        internal user forwarding a complaint is not the complainant: then the
        coordinator fills in the complainant, and the employee is the author.

        :return: ``(complainant, author)``, either may be empty
        """
        Partner = self.env["res.partner"]
        name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        email = email_normalize(email)
        if not email:
            return Partner, Partner
        employee = self._internal_partner_of(email)
        if employee:
            return Partner, employee
        partner = self._intake_create_partner(name if name != email else "", email)
        return partner, partner

    @api.model
    def _internal_partner_of(self, email):
        """The contact of the internal user with this (normalized) address."""
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [("share", "=", False), ("partner_id.email_normalized", "=", email)],
                limit=1,
            )
            .partner_id
        )
