from odoo import api, fields, models
from odoo.exceptions import UserError

CATEGORY_KINDS = [
    ("complaint", "Complaint"),
    ("policy", "Policy"),
    ("referral", "Referral"),
    ("proactive", "Proactive"),
]


class MunicipalComplaintCategory(models.Model):
    """A klachtrubriek. Its kind decides how its cases are handled and counted:
    only the kind ``complaint`` has a legal term and appears in the complaint
    breakdowns."""

    _name = "municipal.complaint.category"
    _description = "Complaint category"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short code used in the figures and exports, e.g. BEJEGENING.",
    )
    kind = fields.Selection(
        CATEGORY_KINDS,
        required=True,
        default="complaint",
        help="Complaint: a real complaint about the Dienst (legal term applies). "
        "Policy: explained, not handled as a complaint. "
        "Referral: about a contract partner. "
        "Proactive: contact made by the Dienst to prevent escalation.",
    )
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to use the category in every company.",
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    _code_company_uniq = models.UniqueIndex(
        "(code, COALESCE(company_id, 0))",
        lambda env, diag: env._(
            "A category with this code already exists in this company."
        ),
    )

    def _compute_complaint_count(self):
        counts = dict(
            self.env["municipal.complaint"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.complaint_count = counts.get(category, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = vals["code"].strip().upper()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("code"):
            vals["code"] = vals["code"].strip().upper()
        self._check_history_unchanged(vals)
        return super().write(vals)

    def _check_history_unchanged(self, vals):
        """The cases of a category are counted under its kind and code, open ones in
        the year they were received too: a category cases use keeps them (archive it
        and make a new one instead), so no year's figures change. Its name may be
        improved."""
        changed = self.filtered(
            lambda category: any(
                name in vals and vals[name] != category[name]
                for name in ("kind", "code")
            )
        )
        if not changed:
            return
        used = (
            self.env["municipal.complaint"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("category_id", "in", changed.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "%(category)s is used by cases, which keep the kind and code they "
                    "are counted under. Archive it and create a new category instead.",
                    category=changed[0].display_name,
                )
            )

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_complaint.action_municipal_complaint"
        )
        action["domain"] = [("category_id", "=", self.id)]
        action["context"] = {"default_category_id": self.id}
        return action
