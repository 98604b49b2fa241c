"""Odoo's own mail records name who complained: only to who may read the case.

Every internal user reads ``mail.followers`` (the complainant follows their case:
name and e-mail come with the case's id) and ``mail.notification`` (the recipient of
each letter, and the message it belongs to). That someone complained to social
services is itself personal data (docs/production.md, section 7): the rows of a
complaint are read only by who may read the case, as core does for activities
(``mail.activity._search``). Rows of other documents are left alone; one's own
notifications stay readable.
"""

from odoo import api, models
from odoo.fields import Domain

COMPLAINT_MODEL = "municipal.complaint"


def _readable_complaints(env):
    """The cases the current user may read, as a subquery (or nothing)."""
    Complaint = env[COMPLAINT_MODEL]
    if not Complaint.has_access("read"):
        return None
    return Complaint._search([], active_test=False)


def _forbidden_rows(rows, res_id_of):
    """The rows (sudo-ed, of complaints) whose case the user may not read."""
    if not rows:
        return rows
    Complaint = rows.env[COMPLAINT_MODEL].sudo(False)
    if not Complaint.has_access("read"):
        return rows
    cases = Complaint.browse({res_id_of(row) for row in rows}).exists()
    readable = set(cases._filtered_access("read").ids)
    return rows.filtered(lambda row: res_id_of(row) not in readable)


def _deny_unreadable_cases(records, operation, result, complaint_rows, res_id_of):
    """Core's ``_check_access`` ``result`` for ``records``, with the rows of cases
    the user may not read added to what is forbidden to read. ``complaint_rows``
    picks the rows that belong to a case (from sudo-ed records), ``res_id_of``
    gives a row's case."""
    if operation != "read" or records.env.su or not records._ids:
        return result
    forbidden = result[0] if result else records.browse()
    denied = _forbidden_rows(
        complaint_rows((records - forbidden).sudo()), res_id_of
    ).sudo(False)
    if not denied:
        return result
    forbidden |= denied
    return forbidden, lambda: records.env["ir.rule"]._make_access_error(
        operation, forbidden
    )


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def _search(self, domain, *args, bypass_access=False, **kwargs):
        if not (self.env.su or bypass_access):
            domain = Domain(domain) & self._complaint_followers_domain()
        return super()._search(domain, *args, bypass_access=bypass_access, **kwargs)

    def _check_access(self, operation):
        return _deny_unreadable_cases(
            self,
            operation,
            super()._check_access(operation),
            lambda rows: rows.filtered(lambda row: row.res_model == COMPLAINT_MODEL),
            lambda row: row.res_id,
        )

    def _complaint_followers_domain(self):
        readable = _readable_complaints(self.env)
        other = Domain("res_model", "!=", COMPLAINT_MODEL)
        if readable is None:
            return other
        return other | Domain("res_id", "in", readable)


class MailNotification(models.Model):
    _inherit = "mail.notification"

    @api.model
    def _search(self, domain, *args, bypass_access=False, **kwargs):
        if not (self.env.su or bypass_access):
            domain = Domain(domain) & self._complaint_notifications_domain()
        return super()._search(domain, *args, bypass_access=bypass_access, **kwargs)

    def _check_access(self, operation):
        """One's own notifications stay readable."""
        partner = self.env.user.partner_id
        return _deny_unreadable_cases(
            self,
            operation,
            super()._check_access(operation),
            lambda rows: rows.filtered(
                lambda row: (
                    row.mail_message_id.model == COMPLAINT_MODEL
                    and row.res_partner_id != partner
                )
            ),
            lambda row: row.mail_message_id.res_id,
        )

    def _complaint_notifications_domain(self):
        readable = _readable_complaints(self.env)
        complaint_messages = Domain("model", "=", COMPLAINT_MODEL)
        if readable is not None:
            complaint_messages &= Domain("res_id", "not in", readable)
        return Domain("res_partner_id", "=", self.env.user.partner_id.id) | Domain(
            "mail_message_id", "not any!", complaint_messages
        )
