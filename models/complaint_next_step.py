"""What comes next on a case, for the user looking at it: one step at a time, in the
order of the lifecycle (docs/rules.md, "Levensloop van een zaak"). The form shows that
step as its one primary button; the button calls the lifecycle's transition."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .complaint_lifecycle import COORDINATOR_GROUP

NEXT_STEPS = [
    ("acknowledge", "Send the acknowledgment of receipt"),
    ("contact", "Contact the complainant"),
    ("offer", "Offer the case for closing"),
    ("wait_coordinator", "Offered for closing: the coordinator closes it"),
    ("wait_partner", "Waiting for the partner's answer"),
    ("end_mediation", "End the mediation"),
    ("close", "Close the case"),
    ("done", "Closed"),
]

OFFER_ACTIVITY_TYPE = "municipal_complaint.mail_activity_type_closing_offered"


class MunicipalComplaint(models.Model):
    _inherit = "municipal.complaint"

    next_step = fields.Selection(
        NEXT_STEPS,
        string="Next step",
        compute="_compute_next_step",
        help="The next step of this case for you: acknowledge, contact the "
        "complainant, then offer the case for closing (employee) or close it "
        "(coordinator).",
    )

    @api.depends(
        "closed_date",
        "acknowledgment_needed",
        "partner_id",
        "contact_date",
        "mediation_state",
        "partner_response_date",
        "activity_ids",
    )
    @api.depends_context("uid")
    def _compute_next_step(self):
        coordinator = self.env.user.has_group(COORDINATOR_GROUP)
        offered = self._get_offer_activities().mapped("res_id")
        for complaint in self:
            complaint.next_step = complaint._get_next_step(
                coordinator, complaint.id in offered
            )

    def _get_next_step(self, coordinator, offered):
        self.ensure_one()
        if self.is_closed:
            return "done"
        if self.acknowledgment_needed:
            return "acknowledge"
        if self.partner_id and not self.contact_date:
            return "contact"
        if self.mediation_state == "ongoing":
            if coordinator and self.partner_response_date:
                return "end_mediation"
            return "wait_partner"
        if coordinator:
            return "close"
        return "wait_coordinator" if offered else "offer"

    # ------------------------------------------------------------------ offering
    def _get_offer_activities(self):
        """The open "ready to close" activities of these cases."""
        # by its cached XML id: env.ref would ask the database whether it exists
        activity_type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            OFFER_ACTIVITY_TYPE, raise_if_not_found=False
        )
        real_ids = [complaint_id for complaint_id in self.ids if complaint_id]
        if not activity_type_id or not real_ids:
            return self.env["mail.activity"]
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", real_ids),
                    ("activity_type_id", "=", activity_type_id),
                ]
            )
        )

    def _schedule_offer_activities(self, note=None):
        """The coordinators of each case's company hear that it is ready to close
        (called by the offering step)."""
        activity_type = self.env.ref(OFFER_ACTIVITY_TYPE)
        coordinators = self._get_warning_coordinators()
        offered_by = self.env.user.name
        note = (note or "").strip()
        for complaint in self:
            users = coordinators[complaint.company_id]
            if not users:
                raise UserError(
                    self.env._(
                        "%(company)s has no complaint coordinator to close "
                        "%(reference)s: ask an administrator to appoint one.",
                        company=complaint.company_id.display_name,
                        reference=complaint.display_name,
                    )
                )
            summary = self.env._("Offered for closing by %(user)s", user=offered_by)
            for user in users:
                complaint.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=summary,
                    note=note or False,
                    user_id=user.id,
                )
            complaint.message_post(
                body=self.env._(
                    "Offered to the complaint coordinator for closing. %(note)s",
                    note=note,
                )
                if note
                else self.env._("Offered to the complaint coordinator for closing."),
                subtype_xmlid="mail.mt_note",
            )

    def _close_offer_activities(self):
        """The case was closed: the coordinators' "ready to close" activities are
        done (called by the closing step)."""
        activities = self._get_offer_activities()
        if activities:
            activities.action_feedback(feedback=self.env._("Case closed."))

    def action_open_offer_wizard(self):
        self.ensure_one()
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Offer for closing"),
            "res_model": "municipal.complaint.offer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }
