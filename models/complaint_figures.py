from collections import Counter, defaultdict
from datetime import date

from odoo import api, models
from odoo.exceptions import AccessError

from .complaint import CHANNEL_GROUPS
from .complaint_recognition import RECOGNITION_KEYS

# The order in which the breakdowns are presented (reports, exports).
CHANNEL_GROUP_KEYS = ("oral", "digital", "letter")
HANDLING_KEYS = ("informal", "formal", "not_handled")
JUDGMENT_KEYS = ("founded", "partly_founded", "unfounded", "no_judgment")
TERM_KEYS = ("within", "late", "ombudsman", "mediation", "open")

# What the cases received in the year are grouped by, in one query. A new breakdown
# adds its field here, its bucket in _count_received_group() and its key in
# _annual_figures_dict().
RECEIVED_GROUPBY = (
    "kind",
    "category_id.code",
    "channel",
    "handling",
    "judgment",
    "term_outcome",
    "recognition",
    "advisory_committee",
)


class MunicipalComplaint(models.Model):
    """The annual figures (Awb 9:12a; docs/rules.md, "The figures"): the one place
    that counts.

    Every screen, report and export reads its numbers from
    :meth:`_get_annual_figures`, so they can never disagree.
    """

    _inherit = "municipal.complaint"

    @api.model
    def _get_annual_figures(self, year, company=None):
        """Count the cases of ``year`` of ``company`` (default: the current company).

        Returns the figures dict::

            total, referral, service, policy, proactive, complaints,
            by_category {code: n}, by_channel {oral|digital|letter: n},
            by_handling {...: n}, by_judgment {...: n}, by_term {...: n},
            ombudsman_received, ombudsman_submitted,
            by_recognition {citizen|staff|detector: n}, advisory_committee

        The reporting year is the year of receipt. Counting is by kind first; the
        ``by_*`` breakdowns count the real complaints (kind ``complaint``) only,
        ``by_judgment`` the formally handled ones only. The breakdowns hold the non-zero
        buckets only (read them with ``.get(key, 0)``), e.g. ``by_term == {'within':
        12, 'ombudsman': 1, 'mediation': 1}``; a complaint without handling or term
        outcome yet is in no bucket.

        The Nationale ombudsman lines count otherwise: the real complaints the
        ombudsman received in ``year`` (by ``ombudsman_date``, whatever their year of
        receipt), from the complainant (``ombudsman_received``) or submitted by the
        Dienst with consent (``ombudsman_submitted``).

        Archived cases (registered by mistake, e.g. duplicates) are not counted;
        anonymised cases are, as they are: anonymisation keeps the statistical facts
        read here.

        The report is about the whole register, so the cases are counted whatever the
        caller may read, but only for a complaint coordinator and only for one of their
        companies. Two grouped SQL queries (by year of receipt, by year of the
        ombudsman), whatever the number of cases.
        """
        company = company or self.env.company
        company.ensure_one()
        self._check_annual_figures_access(company)
        year = int(year)
        Complaint = self.sudo().with_context(active_test=True)
        counts = defaultdict(Counter)
        # one row per combination of values (a few dozen), never per case
        for *values, count in Complaint._read_group(
            self._annual_received_domain(year, company),
            groupby=list(RECEIVED_GROUPBY),
            aggregates=["__count"],
            # ordering the few groups, not the cases: lets PostgreSQL hash-aggregate
            # instead of sorting every case of the year on all grouped columns
            order="__count DESC",
        ):
            self._count_received_group(
                counts, dict(zip(RECEIVED_GROUPBY, values, strict=True)), count
            )
        for initiator, count in Complaint._read_group(
            self._annual_ombudsman_domain(year, company),
            groupby=["ombudsman_initiator"],
            aggregates=["__count"],
        ):
            counts["ombudsman"][initiator] += count
        return self._annual_figures_dict(counts)

    @api.model
    def _annual_received_domain(self, year, company):
        """The cases counted in ``year``: received in it."""
        return [("company_id", "=", company.id), ("received_year", "=", year)]

    @api.model
    def _annual_ombudsman_domain(self, year, company):
        """The real complaints the Nationale ombudsman received in ``year``, from the
        complainant or from the Dienst."""
        return [
            ("company_id", "=", company.id),
            ("kind", "=", "complaint"),
            ("ombudsman_initiator", "!=", False),
            ("ombudsman_date", ">=", date(year, 1, 1)),
            ("ombudsman_date", "<=", date(year, 12, 31)),
        ]

    @api.model
    def _count_received_group(self, counts, group, count):
        """Add ``count`` cases that share the values ``group`` (field of
        ``RECEIVED_GROUPBY``: value) to their buckets."""
        kind = group["kind"]
        counts["kind"][kind] += count
        if kind != "complaint":
            return
        handling = group["handling"]
        counts["by_category"][group["category_id.code"]] += count
        counts["by_channel"][
            CHANNEL_GROUPS.get(group["channel"], group["channel"])
        ] += count
        if handling:
            counts["by_handling"][handling] += count
        if handling == "formal" and group["judgment"]:
            counts["by_judgment"][group["judgment"]] += count
        if group["term_outcome"]:
            counts["by_term"][group["term_outcome"]] += count
        counts["by_recognition"][group["recognition"]] += count
        if group["advisory_committee"]:
            counts["advisory_committee"][True] += count

    @api.model
    def _annual_figures_dict(self, counts):
        """The figures dict from the buckets, breakdowns in presentation order."""
        kinds = counts["kind"]
        total = sum(kinds.values())
        return {
            "total": total,
            "referral": kinds["referral"],
            "service": total - kinds["referral"],
            "policy": kinds["policy"],
            "proactive": kinds["proactive"],
            "complaints": kinds["complaint"],
            "by_category": dict(counts["by_category"]),
            "by_channel": _ordered(counts["by_channel"], CHANNEL_GROUP_KEYS),
            "by_handling": _ordered(counts["by_handling"], HANDLING_KEYS),
            "by_judgment": _ordered(counts["by_judgment"], JUDGMENT_KEYS),
            "by_term": _ordered(counts["by_term"], TERM_KEYS),
            "ombudsman_received": counts["ombudsman"]["complainant"],
            "ombudsman_submitted": counts["ombudsman"]["service"],
            "by_recognition": _ordered(counts["by_recognition"], RECOGNITION_KEYS),
            # complaints heard by an advisory committee (Awb 9:14: a ten-week term)
            "advisory_committee": counts["advisory_committee"][True],
        }

    @api.model
    def _check_annual_figures_access(self, company):
        """Figures of the whole register are for complaint
        coordinators of that company."""
        self._check_coordinator(self.env._("count the figures of the annual report"))
        if self.env.su:
            return
        user = self.env.user
        if company not in user.company_ids:
            raise AccessError(
                self.env._(
                    "You may not count the figures of %(company)s.",
                    company=company.display_name,
                )
            )


def _ordered(counter, keys):
    """The non-zero buckets, in the presentation order of
    ``keys`` (unknown keys last)."""
    ordered = {key: counter[key] for key in keys if counter.get(key)}
    ordered.update(
        (key, count) for key, count in counter.items() if key not in ordered and count
    )
    return ordered
