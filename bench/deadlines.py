#!/usr/bin/env python3
r"""Benchmark of the complaint deadlines and of the daily deadline warnings.

1. Registers 20,000 cases in one ``create`` and recomputes their deadlines (the
   calendar's leaves are read once per company): wall time and SQL queries.
2. Brings the database to 50,000 open cases and runs the warning cron over them,
   next to a raw-SQL baseline that makes the same selection: wall time, queries,
   and their ratio.

Everything happens in one transaction that is rolled back at the end (``--commit``
keeps it): ``ir.cron._commit_progress`` is replaced by a flush + cache clear, which
is what its commit does to the ORM, so the batches behave as in a real run without
leaving 50,000 cases behind.

Run it against a database of the harness while its PostgreSQL is up
(see bench/README.md)::

    eval "$(dev/harness.sh pg-start)"
    .venv/bin/python bench/deadlines.py -c .build/odoo-run.conf -d complaints
"""

# A command-line tool run outside Odoo, not part of the addon: it prints its results,
# and commits its own transaction only when asked to (--commit).
# pylint: disable=print-used,invalid-commit

import argparse
import random
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument(
        "-d",
        "--database",
        required=True,
        help="database with municipal_complaint installed",
    )
    parser.add_argument(
        "--new", type=int, default=20_000, help="cases registered in one batch (20000)"
    )
    parser.add_argument(
        "--open", type=int, default=50_000, help="open cases the cron runs over (50000)"
    )
    parser.add_argument(
        "--batch", type=int, default=None, help="cron batch size (default: the cron's)"
    )
    parser.add_argument(
        "--days",
        type=int,
        default=60,
        help="received dates spread over this many days (60)",
    )
    parser.add_argument(
        "--commit", action="store_true", help="keep the cases (default: roll back)"
    )
    return parser.parse_args()


@contextmanager
def measure(cr, label, results):
    """Wall time, CPU time of this process (Odoo's Python, not PostgreSQL) and
    number of SQL queries of the block. On a shared machine the CPU time is the
    steadier figure."""
    queries = cr.sql_log_count
    start, cpu = time.perf_counter(), time.process_time()
    yield
    results[label] = (
        time.perf_counter() - start,
        cr.sql_log_count - queries,
        time.process_time() - cpu,
    )
    seconds, count, cpu_seconds = results[label]
    print(
        f"  {label:<46} {seconds:8.2f} s wall {cpu_seconds:8.2f} s cpu "
        f"{count:8d} queries",
        flush=True,
    )


def case_values(env, count, days, seed):
    """``count`` anonymous real complaints received over the last ``days`` days,
    handled by the administrator (one user: the warnings are one activity per
    deadline)."""
    rng = random.Random(seed)
    today = date.today()
    category = env.ref("municipal_complaint.category_bejegening")
    handler = env.ref("base.user_admin")
    return [
        {
            # an explicit reference: PostgreSQL sequences ignore the rollback, so the
            # database's KL/<year>/<number> numbering must not be used here
            "name": f"BENCH/{seed}/{n:06d}",
            "subject": f"Bench {seed}-{n}",
            "category_id": category.id,
            "channel": "letter",
            "received_date": today - timedelta(days=rng.randrange(days)),
            "user_id": handler.id,
        }
        for n in range(count)
    ]


class _Rollback(Exception):
    """Raised to roll a savepoint back."""


def count_activities(env):
    return env["mail.activity"].search_count(
        [("res_model", "=", "municipal.complaint")]
    )


def bench_registration(env, args, results):
    """Register ``args.new`` cases in one create, then recompute their deadlines
    alone."""
    cr, complaints = env.cr, env["municipal.complaint"]
    print(f"1. Register {args.new} cases in one batch")
    vals_list = case_values(env, args.new, args.days, seed=1)
    with measure(cr, "create (defaults, deadlines, ...)", results):
        new_cases = complaints.create(vals_list)
        env.flush_all()
    env.invalidate_all()
    with measure(cr, "deadline computation alone (recompute)", results):
        for fname in ("contact_deadline", "legal_deadline"):
            env.add_to_compute(complaints._fields[fname], new_cases)
        new_cases.flush_recordset(["contact_deadline", "legal_deadline"])
    env.invalidate_all()


def run_cron(env, batch_size, label, results):
    """One run of the warning cron; ``_commit_progress`` flushes and clears the cache
    (what its commit does to the ORM) instead of committing. Returns the number of
    batches."""
    batches = []

    def commit_progress(_cron, processed=0, *, remaining=None, deactivate=False):
        env.flush_all()
        env.invalidate_all()
        batches.append(processed)
        return float("inf")

    with patch.object(type(env["ir.cron"]), "_commit_progress", commit_progress):
        with measure(env.cr, label, results):
            env["municipal.complaint"]._cron_deadline_warnings(batch_size=batch_size)
            env.flush_all()
    return sum(1 for processed in batches if processed)


def bench_cron(env, args, results):
    """Top up to ``args.open`` open cases; the SQL baseline; the cron with batches
    twice as large (rolled back: the queries follow the number of batches), then with
    the cron's own batch size, then a second, idle run."""
    cr, complaints = env.cr, env["municipal.complaint"]
    open_count = complaints.search_count([("closed_date", "=", False)])
    missing = max(args.open - open_count, 0)
    print(
        f"2. Warning cron over {args.open} open cases "
        f"({open_count} there, {missing} added)"
    )
    if missing:
        complaints.create(case_values(env, missing, args.days, seed=2))
        env.flush_all()
        env.invalidate_all()
    facts = {"open": complaints.search_count([("closed_date", "=", False)])}

    with measure(cr, "baseline: raw SQL selection of the due cases", results):
        cr.execute(complaints._deadline_warnings_sql("due"))
        due_rows = cr.fetchall()
    facts["due_cases"] = len(due_rows)
    facts["due_deadlines"] = sum(
        bool(contact) + bool(legal) for _id, contact, legal in due_rows
    )

    before = count_activities(env)
    try:
        with cr.savepoint():
            facts["large_batches"] = run_cron(
                env, 2 * args.batch, f"cron, batches of {2 * args.batch}", results
            )
            raise _Rollback
    except _Rollback:
        env.invalidate_all()
    facts["batches"] = run_cron(
        env, args.batch, f"cron, batches of {args.batch}", results
    )
    facts["activities"] = count_activities(env) - before
    run_cron(env, args.batch, "cron again (nothing left to warn)", results)
    facts["activities_again"] = count_activities(env) - before - facts["activities"]
    return facts


def summary(args, results, facts):
    compute_s, compute_q, compute_cpu = results[
        "deadline computation alone (recompute)"
    ]
    create_s, create_q, _cpu = results["create (defaults, deadlines, ...)"]
    base_s, base_q, _cpu = results["baseline: raw SQL selection of the due cases"]
    cron_s, cron_q, _cpu = results[f"cron, batches of {args.batch}"]
    large_s, large_q, _cpu = results[f"cron, batches of {2 * args.batch}"]
    again_s, again_q, _cpu = results["cron again (nothing left to warn)"]
    verdict = "met" if compute_s < 10 else "NOT met"
    print()
    print(
        f"Summary ({date.today()}, "
        f"received dates spread over the last {args.days} days)"
    )
    print(
        f"  deadlines of {args.new} new cases: {compute_s:.2f} s wall "
        f"({compute_cpu:.2f} s cpu), "
        f"{compute_q} queries -- target < 10 s: {verdict}"
    )
    print(f"  (the whole create of those cases: {create_s:.2f} s, {create_q} queries)")
    print(
        f"  cron over {facts['open']} open cases: {facts['due_cases']} cases due, "
        f"{facts['due_deadlines']} "
        f"deadlines, {facts['activities']} activities"
    )
    print(
        f"  cron:     {cron_s:8.2f} s {cron_q:6d} queries "
        f"in {facts['batches']} batches "
        f"({cron_q / max(facts['batches'], 1):.1f} queries a batch)"
    )
    print(
        f"  baseline: {base_s:8.3f} s {base_q:6d} queries  ->  "
        f"ratio {cron_s / base_s:.0f}x time, "
        f"{cron_q / max(base_q, 1):.0f}x queries"
    )
    print(
        f"  batches twice as large: {large_q} queries "
        f"in {facts['large_batches']} batches "
        f"({large_q / max(facts['large_batches'], 1):.1f} a batch, {large_s:.2f} s)"
    )
    print(
        f"  second run: {again_s:.2f} s, {again_q} queries, "
        f"{facts['activities_again']} new activities"
    )


def main():
    args = parse_args()
    import odoo  # noqa: PLC0415  (after argument parsing: --help works without Odoo)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", args.config, "-d", args.database, "--log-level", "warn"])
    odoo.tools.config["workers"] = 0
    registry = Registry(args.database)
    from odoo.addons.municipal_complaint.models.complaint_deadline_warning import (  # noqa: PLC0415
        WARNING_BATCH_SIZE,
    )

    args.batch = args.batch or WARNING_BATCH_SIZE
    results = {}
    with registry.cursor() as cr:
        # a bulk registration, as an import does: no chatter line per case,
        # no acknowledgments
        context = {
            "tracking_disable": True,
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "complaint_no_acknowledgment": True,
        }
        env = api.Environment(cr, SUPERUSER_ID, context)
        this_year = date.today().year
        env.company._get_complaint_calendar()._generate_dutch_holidays(
            range(this_year - 1, this_year + 2)
        )
        env.flush_all()
        bench_registration(env, args, results)
        facts = bench_cron(env, args, results)
        summary(args, results, facts)
        print(f"  ({'committed' if args.commit else 'rolled back'})")
        if args.commit:
            cr.commit()
        else:
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
