"""Inzage (AVG art. 15): everything the addon holds about one person.

A coordinator picks the person's contact (and the other contacts that are the same
person: same e-mail address, proposed); the wizard builds a ZIP with a summary in
Dutch (``overzicht.html``: the contact details, the cases as complainant, their
messages and letters, and the access log entries) and the files of those cases. The
ZIP is never stored: it is built when its maker downloads it (controllers/inzage.py),
and each download is logged. Before handing it out the coordinator removes what
concerns others (AVG art. 15 paragraph 4).
"""

import io
import re
import zipfile

from odoo import api, fields, models
from odoo.tools import html2plaintext

INZAGE_LANG = "nl_NL"
INZAGE_ROUTE = "/municipal_complaint/inzage"


class MunicipalComplaintInzageWizard(models.TransientModel):
    _name = "municipal.complaint.inzage.wizard"
    _description = "Inzage: export of a person's data"

    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        help="The contact of the person who asked for inzage.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Contacts of this person",
        compute="_compute_partner_ids",
        store=True,
        readonly=False,
        help="Every contact that is this person: the contacts with the same e-mail "
        "address are proposed; remove those that are someone else.",
    )

    @api.depends("partner_id")
    def _compute_partner_ids(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        for wizard in self:
            partners = wizard.partner_id
            if partners.email_normalized:
                partners |= Partner.search(
                    [("email_normalized", "=", partners.email_normalized)]
                )
            wizard.partner_ids = partners

    def action_export(self):
        """Download the ZIP: it is built, and logged, when the browser fetches it."""
        self.ensure_one()
        self._check_export_access()
        return {
            "type": "ir.actions.act_url",
            "url": f"{INZAGE_ROUTE}/{self.id}",
            "target": "self",
        }

    def _get_export(self):
        """The ZIP for this dialog's person, and its file name; the inzage is logged.
        Only the dialog's maker reaches it (security/wizard_rules.xml), and only while
        they are a coordinator who may read these contacts."""
        self.ensure_one()
        self.check_access("read")
        contacts = self._check_export_access()
        data = self._get_inzage_data(contacts)
        content = self._build_zip(data)
        Log = self.env["municipal.complaint.access.log"]
        Log._log("inzage", partners=contacts)
        data["complaints"]._log_access("inzage")
        return content, f"inzage-{fields.Date.context_today(self)}.zip"

    # ------------------------------------------------------------------ helpers
    def _check_export_access(self):
        """The contacts of the export, when the user may make it."""
        self.env["municipal.complaint"]._check_coordinator(
            self.env._("export a person's data (inzage)")
        )
        contacts = self.partner_ids | self.partner_id
        contacts.check_access("read")
        return contacts

    def _get_inzage_data(self, contacts):
        """What the addon holds about ``contacts``, in the coordinator's companies:
        the cases as complainant, their messages and files, and the access log."""
        companies = self.env.user.company_ids
        complaints = (
            self.env["municipal.complaint"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("partner_id", "in", contacts.ids),
                    ("company_id", "in", companies.ids),
                ],
                order="received_date, id",
            )
        )
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", complaints._name),
                    ("res_id", "in", complaints.ids),
                    ("message_type", "!=", "user_notification"),
                ],
                order="date, id",
            )
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", complaints._name),
                    ("res_id", "in", complaints.ids),
                ],
                order="id",
            )
        ) | messages.attachment_ids
        log = (
            self.env["municipal.complaint.access.log"]
            .sudo()
            .search(
                [
                    "|",
                    ("complaint_id", "in", complaints.ids),
                    ("partner_id", "in", contacts.ids),
                ],
                order="date, id",
            )
        )
        return {
            "contacts": contacts.sudo(),
            "complaints": complaints,
            "messages": messages.filtered(
                lambda message: message.body or message.attachment_ids
            ),
            "attachments": attachments,
            "log": log,
        }

    def _build_zip(self, data):
        """The ZIP: ``overzicht.html`` and the files, per case."""
        files = self._get_file_names(data["attachments"])
        html = self._render_summary(data, files)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("overzicht.html", html)
            for attachment, name in files.items():
                archive.writestr(name, attachment.raw or b"")
        return buffer.getvalue()

    def _get_file_names(self, attachments):
        """A unique path in the ZIP per file: bestanden/<case>/<name>."""
        names = {}
        used = set()
        complaints = self.env["municipal.complaint"].sudo()
        for attachment in attachments:
            res_id = attachment.res_id
            if attachment.res_model != complaints._name:
                message = attachment.env["mail.message"].search(
                    [("attachment_ids", "in", attachment.ids)], limit=1
                )
                res_id = message.res_id
            folder = _safe_name(complaints.browse(res_id).name or "overig")
            stem = _safe_name(attachment.name or "bestand")
            name, number = f"bestanden/{folder}/{stem}", 1
            while name in used:
                number += 1
                name = f"bestanden/{folder}/{number}-{stem}"
            used.add(name)
            names[attachment] = name
        return names

    def _render_summary(self, data, files):
        """The summary in Dutch (the Dienst's language), whatever the coordinator's."""
        lang = (
            INZAGE_LANG
            if self.env["res.lang"]._lang_get(INZAGE_LANG)
            else self.env.lang
        )
        env = self.env(context=dict(self.env.context, lang=lang))
        Complaint = env["municipal.complaint"]
        Log = env["municipal.complaint.access.log"]
        values = {
            "company": self.env.company,
            "today": fields.Date.context_today(self),
            "contacts": data["contacts"].with_env(env(su=True)),
            "complaints": data["complaints"].with_env(env(su=True)),
            "messages": {
                complaint.id: data["messages"].filtered(
                    lambda message, complaint=complaint: message.res_id == complaint.id
                )
                for complaint in data["complaints"]
            },
            "files": files,
            "log": data["log"],
            "selection": lambda record, name: _selection_label(
                Complaint if record._name == Complaint._name else Log, record, name
            ),
            "plain": html2plaintext,
            "author": self._get_author_label,
        }
        html = env["ir.qweb"]._render(
            "municipal_complaint.inzage_summary", values, minimal_qcontext=True
        )
        return str(html).encode()

    def _get_author_label(self, message):
        """Who wrote a message: the person, an outside organisation by name, the
        Dienst for its staff (not the employee's name)."""
        author = message.author_id.sudo().with_context(active_test=False)
        if not author:
            return self.env._("Unknown")
        if any(not user.share for user in author.user_ids):
            return self.env._("Staff of the Dienst")
        return author.name


def _selection_label(model, record, name):
    """The label of a selection value, in the language of ``model``'s env."""
    value = record[name]
    if not value:
        return ""
    return dict(model._fields[name]._description_selection(model.env)).get(value, value)


def _safe_name(name):
    """A file or folder name without path separators or control characters."""
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "-", name).strip(" .-") or "bestand"
