from odoo import api, models
from odoo.exceptions import AccessError


class MunicipalComplaintWizardAccess(models.AbstractModel):
    """What every step's wizard checks before it shows or does anything: the case it
    is opened on is one the user may read (which includes the multi-company rule),
    and the company it is about is one the user works in now.

    A client can open a wizard on any id and read it back; the wizards' related
    fields are therefore computed as the user (``compute_sudo=False``), never as
    superuser, so another company's complainant cannot be read through them.
    """

    _name = "municipal.complaint.wizard.access"
    _description = "Complaint wizard: access to its case and company"

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        self._check_wizard_access(values.get("complaint_id"), values.get("company_id"))
        return values

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_wizard_access(vals.get("complaint_id"), vals.get("company_id"))
        wizards = super().create(vals_list)
        for wizard in wizards:
            # also what came from the context's defaults
            wizard._check_wizard_access(
                wizard["complaint_id"].id if "complaint_id" in wizard._fields else None,
                wizard["company_id"].id if "company_id" in wizard._fields else None,
            )
        return wizards

    @api.model
    def _check_wizard_access(self, complaint_id=None, company_id=None):
        if complaint_id:
            self.env["municipal.complaint"].browse(complaint_id).check_access("read")
        if company_id and company_id not in self.env.companies.ids:
            raise AccessError(
                self.env._("You can only do this for a company you are working in now.")
            )
