from collections import Counter

from odoo import api, models
from odoo.exceptions import AccessError

from .complaint import CHANNEL_GROUPS
from .complaint_recognition import RECOGNITION_KEYS

# The order in which the breakdowns are presented (reports, exports).
KIND_KEYS = ("referral", "policy", "proactive", "complaint")
CHANNEL_GROUP_KEYS = ("oral", "digital", "letter")
HANDLING_KEYS = ("informal", "formal", "not_handled")
JUDGMENT_KEYS = ("founded", "partly_founded", "unfounded", "no_judgment")
TERM_KEYS = ("within", "late", "ombudsman", "mediation", "open")


class MunicipalComplaint(models.Model):
    """The annual figures: the one place that counts (design.md).

    Every screen, report and export reads its numbers from
    :meth:`_get_annual_figures`, so they can never disagree.
    """

    _inherit = "municipal.complaint"

    @api.model
    def _get_annual_figures(self, year, company=None):
        """Count the cases received in ``year`` by ``company``
        (default: the current company).

        Returns design.md's dict::

            total, referral, service, policy, proactive, complaints,
            by_category {code: n}, by_channel {oral|digital|letter: n},
            by_handling {...: n}, by_judgment {...: n}, by_term {...: n},
            ombudsman_received, ombudsman_submitted,
            by_recognition {citizen|staff|detector: n}

        Counting is by kind first; the ``by_*`` breakdowns count the real complaints
        (kind ``complaint``) only, ``by_judgment`` the formally handled ones only. The
        breakdowns hold the non-zero buckets only (read them with ``.get(key, 0)``): the
        seed's 2020 figures then compare as design.md writes them, e.g. ``by_term ==
        {'within': 12, 'ombudsman': 1, 'mediation': 1}``; a complaint without handling
        or term outcome yet is in no bucket. The ombudsman counts are the cases of the
        year escalated to the Nationale ombudsman, by the complainant (``received``) or
        by the Dienst with consent (``submitted``).

        The reporting year is the year of receipt. Archived cases (registered by
        mistake, e.g. duplicates) are not counted; anonymised cases are, as they are:
        anonymisation keeps the statistical facts read here.

        The report is about the whole register, so the cases are counted whatever the
        caller may read, but only for a complaint coordinator and only for one of their
        companies. One grouped SQL query, whatever the number of cases.
        """
        company = company or self.env.company
        company.ensure_one()
        self._check_annual_figures_access(company)
        groups = (
            self.sudo()
            .with_context(active_test=True)
            ._read_group(
                [("company_id", "=", company.id), ("received_year", "=", int(year))],
                groupby=[
                    "kind",
                    "category_id.code",
                    "channel",
                    "handling",
                    "judgment",
                    "term_outcome",
                    "ombudsman_initiator",
                    "recognition",
                ],
                aggregates=["__count"],
                # ordering the few groups, not the cases: lets PostgreSQL hash-aggregate
                # instead of sorting every case of the year on seven columns
                order="__count DESC",
            )
        )
        kinds = Counter()
        by_category, by_channel, by_handling = Counter(), Counter(), Counter()
        by_judgment, by_term, ombudsman = Counter(), Counter(), Counter()
        by_recognition = Counter()
        # one row per combination of values (a few dozen), never per case
        for (
            kind,
            code,
            channel,
            handling,
            judgment,
            term,
            initiator,
            recognition,
            count,
        ) in groups:
            kinds[kind] += count
            if initiator:
                ombudsman[initiator] += count
            if kind != "complaint":
                continue
            by_category[code] += count
            by_channel[CHANNEL_GROUPS.get(channel, channel)] += count
            if handling:
                by_handling[handling] += count
            if handling == "formal" and judgment:
                by_judgment[judgment] += count
            if term:
                by_term[term] += count
            by_recognition[recognition] += count
        total = sum(kinds.values())
        return {
            "total": total,
            "referral": kinds["referral"],
            "service": total - kinds["referral"],
            "policy": kinds["policy"],
            "proactive": kinds["proactive"],
            "complaints": kinds["complaint"],
            "by_category": dict(by_category),
            "by_channel": _ordered(by_channel, CHANNEL_GROUP_KEYS),
            "by_handling": _ordered(by_handling, HANDLING_KEYS),
            "by_judgment": _ordered(by_judgment, JUDGMENT_KEYS),
            "by_term": _ordered(by_term, TERM_KEYS),
            "ombudsman_received": ombudsman["complainant"],
            "ombudsman_submitted": ombudsman["service"],
            "by_recognition": _ordered(by_recognition, RECOGNITION_KEYS),
        }

    @api.model
    def _check_annual_figures_access(self, company):
        """Figures of the whole register are for complaint
        coordinators of that company."""
        if self.env.su:
            return
        user = self.env.user
        if not user.has_group("municipal_complaint.group_complaint_coordinator"):
            raise AccessError(
                self.env._(
                    "Only a complaint coordinator may count "
                    "the figures of the annual report."
                )
            )
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
