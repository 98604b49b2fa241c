#!/usr/bin/env python3
"""Benchmark of the complaint deadlines and of the daily deadline warnings.

1. Registers 20,000 cases in one ``create`` and recomputes their deadlines (the calendar's
   leaves are read once per company): wall time and SQL queries.
2. Brings the database to 50,000 open cases and runs the warning cron over them, next to a
   raw-SQL baseline that makes the same selection: wall time, queries, and their ratio.

Everything happens in one transaction that is rolled back at the end (``--commit`` keeps it):
``ir.cron._commit_progress`` is replaced by a flush + cache clear, which is what its commit does
to the ORM, so the batches behave as in a real run without leaving 50,000 cases behind.

Run it against a database of the harness while its PostgreSQL is up (see bench/README.md)::

    PGHOST=$PWD/.pgdata/socket .venv/bin/python bench/deadlines.py -c .build/odoo-run.conf -d complaints
"""

import argparse
import random
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="database with municipal_complaint installed")
    parser.add_argument("--new", type=int, default=20_000, help="cases registered in one batch (20000)")
    parser.add_argument("--open", type=int, default=50_000, help="open cases the cron runs over (50000)")
    parser.add_argument("--batch", type=int, default=None, help="cron batch size (default: the cron's)")
    parser.add_argument("--days", type=int, default=60, help="received dates spread over this many days (60)")
    parser.add_argument("--commit", action="store_true", help="keep the cases (default: roll back)")
    return parser.parse_args()


@contextmanager
def measure(cr, label, results):
    """Wall time, CPU time of this process (Odoo's Python, not PostgreSQL) and number of SQL
    queries of the block. On a shared machine the CPU time is the steadier figure."""
    queries = cr.sql_log_count
    start, cpu = time.perf_counter(), time.process_time()
    yield
    results[label] = (time.perf_counter() - start, cr.sql_log_count - queries, time.process_time() - cpu)
    seconds, count, cpu_seconds = results[label]
    print(f"  {label:<46} {seconds:8.2f} s wall {cpu_seconds:8.2f} s cpu {count:8d} queries", flush=True)


def case_values(env, count, days, seed):
    """``count`` anonymous real complaints received over the last ``days`` days, handled by
    the administrator (one user: the warnings are one activity per deadline)."""
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


def main():
    args = parse_args()
    import odoo  # noqa: PLC0415  (after argument parsing: --help works without Odoo)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", args.config, "-d", args.database, "--log-level", "warn"])
    odoo.tools.config["workers"] = 0
    registry = Registry(args.database)
    results = {}
    with registry.cursor() as cr:
        env = api.Environment(
            cr,
            SUPERUSER_ID,
            {
                # a bulk registration, as an import does: no chatter line per case, no
                # acknowledgment mails
                "tracking_disable": True,
                "mail_create_nolog": True,
                "mail_create_nosubscribe": True,
                "complaint_no_acknowledgment": True,
            },
        )
        Complaint = env["municipal.complaint"]
        env.company._get_complaint_calendar()._generate_dutch_holidays(range(date.today().year - 1, date.today().year + 2))
        env.flush_all()

        print(f"1. Register {args.new} cases in one batch")
        vals_list = case_values(env, args.new, args.days, seed=1)
        with measure(cr, "create (defaults, deadlines, ...)", results):
            new_cases = Complaint.create(vals_list)
            env.flush_all()
        env.invalidate_all()
        with measure(cr, "deadline computation alone (recompute)", results):
            for fname in ("contact_deadline", "legal_deadline"):
                env.add_to_compute(Complaint._fields[fname], new_cases)
            new_cases.flush_recordset(["contact_deadline", "legal_deadline"])
        env.invalidate_all()

        open_count = Complaint.search_count([("closed_date", "=", False)])
        missing = max(args.open - open_count, 0)
        print(f"2. Warning cron over {args.open} open cases ({open_count} there, {missing} added)")
        if missing:
            Complaint.create(case_values(env, missing, args.days, seed=2))
            env.flush_all()
            env.invalidate_all()
        open_count = Complaint.search_count([("closed_date", "=", False)])

        baseline_sql = Complaint._deadline_warnings_sql("due")
        with measure(cr, "baseline: raw SQL selection of the due cases", results):
            cr.execute(baseline_sql)
            due_rows = cr.fetchall()
        due_deadlines = sum(bool(contact) + bool(legal) for _id, contact, legal in due_rows)

        batches = []

        def commit_progress(_cron, processed=0, *, remaining=None, deactivate=False):
            # what the commit of a real cron run does to the ORM, without committing
            env.flush_all()
            env.invalidate_all()
            batches.append(processed)
            return float("inf")

        activities_before = env["mail.activity"].search_count([("res_model", "=", "municipal.complaint")])
        kwargs = {"batch_size": args.batch} if args.batch else {}
        with patch.object(type(env["ir.cron"]), "_commit_progress", commit_progress):
            with measure(cr, "cron: _cron_deadline_warnings()", results):
                Complaint._cron_deadline_warnings(**kwargs)
                env.flush_all()
            with measure(cr, "cron again (nothing left to warn)", results):
                Complaint._cron_deadline_warnings(**kwargs)
                env.flush_all()
        created = env["mail.activity"].search_count([("res_model", "=", "municipal.complaint")]) - activities_before
        work_batches = sum(1 for processed in batches if processed)

        create_s, create_q, _cpu = results["create (defaults, deadlines, ...)"]
        compute_s, compute_q, _cpu = results["deadline computation alone (recompute)"]
        base_s, base_q, _cpu = results["baseline: raw SQL selection of the due cases"]
        cron_s, cron_q, _cpu = results["cron: _cron_deadline_warnings()"]
        again_s, again_q, _cpu = results["cron again (nothing left to warn)"]
        print()
        print(f"Summary ({date.today()}, received dates over the last {args.days} days)")
        print(f"  deadlines of {args.new} new cases: {compute_s:.2f} s, {compute_q} queries "
              f"(create as a whole: {create_s:.2f} s, {create_q} queries)  target < 10 s: "
              f"{'met' if compute_s < 10 else 'NOT met'}")
        print(f"  cron over {open_count} open cases: {len(due_rows)} due cases, {due_deadlines} deadlines, "
              f"{created} activities in {work_batches} batches")
        print(f"  cron {cron_s:.2f} s / {cron_q} queries  vs  SQL baseline {base_s:.3f} s / {base_q} queries"
              f"  ->  ratio {cron_s / base_s if base_s else float('inf'):.0f}x time, {cron_q / max(base_q, 1):.0f}x queries")
        if work_batches:
            print(f"  queries per batch: {cron_q / work_batches:.1f}; per warned case: "
                  f"{cron_q / max(len(due_rows), 1):.3f}")
        print(f"  second run: {again_s:.2f} s / {again_q} queries, "
              f"{env['mail.activity'].search_count([('res_model', '=', 'municipal.complaint')]) - activities_before - created} new activities")
        print(f"  ({'committed' if args.commit else 'rolled back'})")
        if args.commit:
            cr.commit()
        else:
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
