from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MunicipalComplaintNorm(models.Model):
    """A norm of proper conduct (behoorlijkheidsnorm) a case can show was breached.

    The Nationale ombudsman groups its norms in four: open en duidelijk, respectvol,
    betrokken en oplossingsgericht, eerlijk en betrouwbaar. Those groups are
    shipped; administrators add the norms they want to count beneath them, so the
    organisation sees which norms it breaches.
    """

    _name = "municipal.complaint.norm"
    _description = "Norm of proper conduct"
    _order = "sequence, id"
    _parent_store = True
    _rec_names_search = ["name", "parent_id.name"]

    name = fields.Char(required=True, translate=True)
    parent_id = fields.Many2one(
        "municipal.complaint.norm",
        string="Norm group",
        index=True,
        ondelete="restrict",
        help="The norm group of the Nationale ombudsman this norm belongs to.",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("municipal.complaint.norm", "parent_id", string="Norms")
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.name", "parent_id.parent_id.name")
    def _compute_display_name(self):
        for norm in self:
            names = []
            current = norm
            while current:
                names.insert(0, current.name or "")
                current = current.parent_id
            norm.display_name = " / ".join(names)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A norm cannot be placed beneath itself."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A case keeps the norms it was found to breach: archive instead."""
        self.env["municipal.complaint"]._check_tags_unused("norm_ids", self)
