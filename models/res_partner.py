from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_complaint_partner = fields.Boolean(
        string="Complaint contract partner",
        help="A contract partner of the Dienst: complaints about it can be referred to "
        "it, and its portal users see the cases referred to their organisation.",
    )
    # who complained is need-to-know: not even searchable outside the complaint groups
    complaint_ids = fields.One2many(
        "municipal.complaint",
        "partner_id",
        string="Complaints",
        groups="municipal_complaint.group_complaint_user",
    )
    complaint_count = fields.Integer(
        compute="_compute_complaint_count", compute_sudo=False
    )

    def _compute_complaint_count(self):
        """Counted as the user: only who may read cases and their complainant (not an
        internal user outside the complaint groups, not a portal user, whose field
        whitelist hides the complainant) gets a number; everyone else sees 0."""
        Complaint = self.env["municipal.complaint"]
        if not (
            Complaint.has_access("read")
            and Complaint._has_field_access(Complaint._fields["partner_id"], "read")
        ):
            self.complaint_count = 0
            return
        counts = dict(
            Complaint._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.complaint_count = counts.get(partner, 0)

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_complaint.action_municipal_complaint"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
