from collections import defaultdict

from odoo import api, models
from odoo.fields import Domain


class MunicipalComplaint(models.Model):
    """The kanban's first screen: the column bars by deadline state, counted on the
    open cases only, whatever the size of the register of closed ones."""

    _inherit = "municipal.complaint"

    # The kanban opens on the open cases (the action's default filter) and its bars
    # count only open cases: a few percent of a register kept for years. These
    # indexes hold just those rows, with what the stage counts and the deadline
    # states read, so neither grows with the closed cases.
    _open_stage_idx = models.Index(
        "(stage_id, company_id, active) WHERE closed_date IS NULL"
    )
    _open_deadline_idx = models.Index(
        "(company_id, stage_id, contact_deadline, legal_deadline, contact_date, "
        "is_closed, active) WHERE closed_date IS NULL"
    )

    @api.model
    @api.readonly
    def read_progress_bar(self, domain, group_by, progress_bar):
        """Count the deadline states per column with the states' own search domains
        (:meth:`_search_deadline_state`), one grouped count per coloured state: the
        rule of the states is defined once, and a closed case is never counted."""
        if progress_bar.get("field") != "deadline_state":
            return super().read_progress_bar(domain, group_by, progress_bar)
        result = defaultdict(lambda: dict.fromkeys(progress_bar["colors"], 0))
        for state in progress_bar["colors"]:
            state_domain = Domain(domain) & Domain("deadline_state", "in", [state])
            for group, count in self._read_group(state_domain, [group_by], ["__count"]):
                key = group.id if isinstance(group, models.BaseModel) else group
                result[str(key)][state] = count
        return result
