"""Where complaint staff start: the app opens on the cases, and staff whose work is
complaints land there after logging in (per role, set by the Beheerder in the
complaint settings). A home action a system administrator set on a user wins."""

from odoo import fields, models

from .complaint_lifecycle import COORDINATOR_GROUP

USER_GROUP = "municipal_complaint.group_complaint_user"
CASES_ACTION = "municipal_complaint.action_municipal_complaint"


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_home_employee = fields.Boolean(
        string="Employees start in Complaints",
        default=True,
        help="Complaint employees (Medewerker) of this company open on their cases "
        "after logging in, instead of Discuss.",
    )
    complaint_home_coordinator = fields.Boolean(
        string="Coordinators start in Complaints",
        default=True,
        help="Complaint coordinators and administrators of this company open on the "
        "cases after logging in, instead of Discuss.",
    )


class ResUsers(models.Model):
    _inherit = "res.users"

    def _get_complaint_home_action(self):
        """The home action this user gets from their complaint role, if any."""
        self.ensure_one()
        if self.share or not self.has_group(USER_GROUP):
            return self.env["ir.actions.act_window"]
        company = self.company_id
        wanted = (
            company.complaint_home_coordinator
            if self.has_group(COORDINATOR_GROUP)
            else company.complaint_home_employee
        )
        if not wanted:
            return self.env["ir.actions.act_window"]
        return (
            self.env.ref(CASES_ACTION, raise_if_not_found=False)
            or self.env["ir.actions.act_window"]
        )


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        info = super().session_info()
        user = self.env.user
        if info.get("uid") and not info.get("home_action_id"):
            action = user.sudo()._get_complaint_home_action()
            if action:
                info["home_action_id"] = action.id
        return info


# The cases action's own context (views/complaint_views.xml): the open cases.
CASES_ACTION_CONTEXT = "{'search_default_open': 1}"


class IrActionsActWindow(models.Model):
    _inherit = "ir.actions.act_window"

    def _get_action_dict(self):
        """The cases, as the app icon, the menu and the home screen open them: a
        Medewerker starts on their own cases ("Mijn zaken"), a coordinator on all.
        Decided here, where the web client loads the action, because an action's
        context cannot ask for the user's groups."""
        result = super()._get_action_dict()
        if (
            len(self) == 1
            and self.id == self.env["ir.model.data"]._xmlid_to_res_id(CASES_ACTION)
            and (result.get("context") or "{}").strip() == CASES_ACTION_CONTEXT
            and self.env.user.has_group(USER_GROUP)
            and not self.env.user.has_group(COORDINATOR_GROUP)
        ):
            # their own open cases; the open ones only, as for everyone (the kanban's
            # first screen does not count the closed register)
            result["context"] = (
                "{'search_default_my_complaints': 1, 'search_default_open': 1}"
            )
        return result
