from collections import defaultdict

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL


class MunicipalComplaint(models.Model):
    """The kanban's first screen: the column bars by deadline state, counted on the
    open cases only, whatever the size of the register of closed ones."""

    _inherit = "municipal.complaint"

    # The kanban opens on the open cases (the action's default filter) and its bars
    # count only open cases: a few percent of a register kept for years. This index
    # holds just those rows, with every column the stage counts and the deadline
    # states read, so both are answered from the index alone and neither grows with
    # the closed cases.
    _open_cases_idx = models.Index(
        "(company_id, stage_id, active, is_closed, contact_date, contact_deadline, "
        "legal_deadline, closed_date) WHERE closed_date IS NULL"
    )

    @api.model
    @api.readonly
    def read_progress_bar(self, domain, group_by, progress_bar):
        """Count the deadline states per column with the states' own search domains
        (:meth:`_search_deadline_state`): the rule of the states is defined once,
        and a closed case is never counted. One pass over the cases in a coloured
        state: a count per state, per column."""
        if progress_bar.get("field") != "deadline_state":
            return super().read_progress_bar(domain, group_by, progress_bar)
        states = list(progress_bar["colors"])
        # the cases in a coloured state, said as "not in the others": for the usual
        # bar (all but done) the search rule makes that plainly the open cases
        others = [
            state
            for state, _label in self._fields["deadline_state"].selection
            if state not in states
        ]
        query = self._search(
            Domain(domain) & Domain("deadline_state", "not in", others), order=None
        )
        counts = [
            SQL(
                "count(*) FILTER (WHERE %s)",
                Domain("deadline_state", "in", [state])
                .optimize_full(self)
                ._to_sql(self, self._table, query),
            )
            for state in states
        ]
        rows = self.env.execute_query(
            SQL(
                "SELECT %s, %s FROM %s WHERE %s GROUP BY 1",
                # checks that the user may read the column's field, as Odoo does
                self._read_group_groupby(self._table, group_by, query),
                SQL(", ").join(counts),
                query.from_clause,
                query.where_clause or SQL("TRUE"),
            )
        )
        result = defaultdict(lambda: dict.fromkeys(states, 0))
        for group, *state_counts in rows:
            key = str(group if group is not None else False)
            for state, count in zip(states, state_counts, strict=True):
                result[key][state] += count
        return result
