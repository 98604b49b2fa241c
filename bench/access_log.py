#!/usr/bin/env python3
"""Benchmark of the access log against OCA's ``auditlog`` (19.0) with a read rule.

Fills a throwaway database with complaints (each with its complainant's contact and
a description), then, as a coordinator, times what the web client does:

- the kanban: ``web_search_read`` of 80 cases with the kanban's fields (and the
  list's ``search_read``);
- opening a case form: ``web_read`` of one case with the form's content fields;
- reading the content over JSON-RPC without the form: ``search_read`` of the
  description of 80 cases.

It does so twice: with the addon's own access log, then after installing
``auditlog`` (``odoo-addon-auditlog`` from PyPI, into ``.build/bench-auditlog``) with
a rule on ``municipal.complaint`` that logs reads. For each step it prints the median
time, the SQL queries, and the rows each log gained; for auditlog it also checks
whether its log lines hold a copy of the case's content (the complainant's name,
the description).

Run it from the repository root with the harness's virtualenv (bench/README.md,
"Access log"):

    .venv/bin/python bench/access_log.py           # --cases 5000 --repeat 15
    .venv/bin/python bench/access_log.py --keep    # keep the database afterwards

The benchmark database (default ``complaints_bench_log``) is dropped and recreated.
"""

# A command-line tool run outside Odoo, not part of the addon: it prints its results
# and commits what it generates in its own throwaway database.
# pylint: disable=print-used,invalid-commit

import argparse
import atexit
import shutil
import statistics
import subprocess
import sys
import time
from unittest.mock import patch

from figures import (
    ADDON,
    BUILD,
    ensure_postgres,
    free_port,
    odoo_bin,
    recreate_database,
    say,
    write_config,
)

AUDITLOG_REQUIREMENT = "odoo-addon-auditlog==19.0.2.0.1"
AUDITLOG_TARGET = BUILD / "bench-auditlog"

KANBAN_SPEC = {
    "name": {},
    "subject": {},
    "channel": {},
    "received_date": {},
    "deadline_state": {},
    "stage_id": {"fields": {"display_name": {}}},
    "partner_id": {"fields": {"display_name": {}}},
    "category_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "activity_ids": {},
}
LIST_FIELDS = ["name", "received_date", "subject", "partner_id", "stage_id"]
FORM_SPEC = {
    **KANBAN_SPEC,
    "description": {},
    "partner_email": {},
    "partner_phone": {},
    "resolution_note": {},
    "closed_date": {},
    "handling": {},
    "legal_deadline": {},
    "contact_deadline": {},
}


def install_auditlog(config, database):
    """auditlog from PyPI, with pip, into a folder added to the addons path."""
    if not (AUDITLOG_TARGET / "odoo" / "addons" / "auditlog").exists():
        say(f"pip install {AUDITLOG_REQUIREMENT} into {AUDITLOG_TARGET}")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--target",
                str(AUDITLOG_TARGET),
                AUDITLOG_REQUIREMENT,
            ],
            check=True,
        )
    text = config.read_text()
    extra = f",{AUDITLOG_TARGET}/odoo/addons"
    if extra not in text:
        text = text.replace(f"{BUILD}/addons\n", f"{BUILD}/addons{extra}\n")
        config.write_text(text)
    say("installing auditlog")
    odoo_bin(
        "-c",
        config,
        "-d",
        database,
        "-i",
        "auditlog",
        "--stop-after-init",
        "--no-http",
        "--logfile",
        BUILD / "logs" / "bench-auditlog-install.log",
    )


def fill(env, count):
    """``count`` cases, each with a complainant's contact and a description."""
    ref = env.ref
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench Klager {i}",
                "email": f"klager{i}@example.org",
                "phone": f"06 {i:08d}",
                "is_complainant_contact": True,
            }
            for i in range(count)
        ]
    )
    categories = [
        ref(f"{ADDON}.category_bejegening").id,
        ref(f"{ADDON}.category_informatie").id,
        ref(f"{ADDON}.category_overig").id,
    ]
    env["municipal.complaint"].with_context(
        tracking_disable=True, mail_create_nolog=True, complaint_no_acknowledgment=True
    ).create(
        [
            {
                "name": f"BENCH/{i:06d}",
                "subject": f"Bench klacht {i}",
                "description": f"<p>{partner.name} belde over zijn uitkering.</p>",
                "category_id": categories[i % 3],
                "channel": "phone",
                "partner_id": partner.id,
            }
            for i, partner in enumerate(partners)
        ]
    )


def measure(env, repeat, first_case):
    """Median time (ms) and queries of each web client call; the cases a form
    opens are different ones each time (the access log adds nothing for a case the
    same user opened minutes ago)."""
    Complaint = env["municipal.complaint"]
    cr = env.cr
    cases = Complaint.search([("id", ">=", first_case)], order="id", limit=repeat + 1)
    steps = {
        "kanban (web_search_read, 80 cases)": lambda _i: Complaint.web_search_read(
            [], KANBAN_SPEC, limit=80
        ),
        "list (search_read, 80 cases)": lambda _i: Complaint.search_read(
            [], LIST_FIELDS, limit=80
        ),
        "form (web_read, 1 case)": lambda i: cases[i].web_read(FORM_SPEC),
        "RPC search_read description, 80": lambda _i: Complaint.search_read(
            [], ["description"], limit=80
        ),
    }
    results = {}
    for name, step in steps.items():
        step(repeat)  # warm the caches
        env.invalidate_all()
        times, queries = [], []
        for i in range(repeat):
            env.invalidate_all()
            before = cr.sql_log_count
            start = time.perf_counter()
            step(i)
            env.flush_all()
            times.append(time.perf_counter() - start)
            queries.append(cr.sql_log_count - before)
        results[name] = (statistics.median(times) * 1000, statistics.median(queries))
    return results


def count_rows(env):
    cr = env.cr
    cr.execute("SELECT count(*) FROM municipal_complaint_access_log")
    ours = cr.fetchone()[0]
    audit = lines = 0
    cr.execute("SELECT to_regclass('auditlog_log') IS NOT NULL")
    if cr.fetchone()[0]:
        cr.execute("SELECT count(*) FROM auditlog_log")
        audit = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM auditlog_log_line")
        lines = cr.fetchone()[0]
    return ours, audit, lines


def run(registry, uid, repeat, first_case, label, without_log=False):
    from odoo import api

    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        if without_log:
            # the baseline: the addon's hooks run, but write no entry
            Log = type(env["municipal.complaint.access.log"])
            patcher = patch.object(Log, "_log", return_value=None)
            patcher.start()
        before = count_rows(env)
        results = measure(env, repeat, first_case)
        after = count_rows(env)
        deltas = {}
        # per step: measure once more, counting the rows it adds
        Complaint = env["municipal.complaint"]
        for name, call in (
            ("kanban", lambda: Complaint.web_search_read([], KANBAN_SPEC, limit=80)),
            (
                "form",
                # a case no step above opened: the log adds its entry
                lambda: Complaint.search(
                    [("id", ">=", first_case)], order="id", offset=repeat + 2, limit=1
                ).web_read(FORM_SPEC),
            ),
        ):
            start_rows = count_rows(env)
            call()
            env.flush_all()
            end_rows = count_rows(env)
            deltas[name] = tuple(
                e - s for s, e in zip(start_rows, end_rows, strict=True)
            )
        copies = 0
        cr.execute("SELECT to_regclass('auditlog_log_line') IS NOT NULL")
        if cr.fetchone()[0]:
            cr.execute(
                "SELECT count(*) FROM auditlog_log_line "
                "WHERE old_value_text ILIKE '%%Bench Klager%%'"
            )
            copies = cr.fetchone()[0]
        cr.rollback()
        if without_log:
            patcher.stop()
    print()
    print(f"{label} (median of {repeat} runs)")
    for name, (ms, queries) in results.items():
        print(f"  {name:36s} {ms:8.1f} ms  {queries:5.0f} queries")
    whole_run = tuple(a - b for a, b in zip(after, before, strict=True))
    for what, (log, audit, lines) in (
        ("added per kanban page", deltas["kanban"]),
        ("added per form opened", deltas["form"]),
        ("over the whole run   ", whole_run),
    ):
        print(f"  rows {what}  access log {log}, auditlog.log {audit}, lines {lines}")
    if copies:
        print(f"  auditlog lines holding a complainant's name: {copies}")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="complaints_bench_log")
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if args.database in ("complaints", "complaints_test"):
        sys.exit("Refusing to overwrite the harness's own databases.")

    ensure_postgres()
    config = BUILD / "odoo-bench-log.conf"
    write_config(config, free_port())
    recreate_database(config, args.database)
    if not args.keep:
        atexit.register(
            lambda: (
                subprocess.run(["dropdb", "--if-exists", args.database], check=False),
                shutil.rmtree(
                    BUILD / "data" / "filestore" / args.database, ignore_errors=True
                ),
            )
        )

    import odoo
    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db
    from odoo.tools import config as odoo_config

    odoo_config.parse_config(
        ["-c", str(config), "-d", args.database, "--no-http"], setup_logging=False
    )
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        fill(env, args.cases)
        coordinator = env["res.users"].create(
            {
                "name": "Bench Coördinator",
                "login": "bench_log_coordinator",
                "group_ids": [
                    (6, 0, [env.ref(f"{ADDON}.group_complaint_coordinator").id])
                ],
            }
        )
        first_case = env["municipal.complaint"].search([], order="id", limit=1).id
        cr.commit()
        say(f"filled {args.cases:,} cases in {time.perf_counter() - start:.1f} s")

    bare = run(
        registry,
        coordinator.id,
        args.repeat,
        first_case,
        "No log (baseline: the addon's access log writes nothing)",
        without_log=True,
    )
    ours = run(registry, coordinator.id, args.repeat, first_case, "Access log (addon)")
    Registry.delete(args.database)
    close_db(args.database)

    install_auditlog(config, args.database)
    odoo_config.parse_config(
        ["-c", str(config), "-d", args.database, "--no-http"], setup_logging=False
    )
    registry = Registry.new(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        rule = env["auditlog.rule"].create(
            {
                "name": "Klachten",
                "model_id": env["ir.model"]._get_id("municipal.complaint"),
                "log_read": True,
                "log_write": True,
                "log_create": False,
                "log_unlink": False,
                "log_type": "full",
            }
        )
        rule.set_to_confirmed()
        cr.commit()
    registry = Registry.new(args.database)
    theirs = run(
        registry,
        coordinator.id,
        args.repeat,
        first_case,
        "Access log (addon) + auditlog with a read rule on municipal.complaint",
    )
    for title, results in (("access log", ours), ("auditlog", theirs)):
        print()
        print(f"Ratio with the {title} / the baseline without a log")
        for name, (ms, queries) in results.items():
            base_ms, base_queries = bare[name]
            print(
                f"  {name:36s} {ms / base_ms:6.2f}x time  "
                f"{queries / max(base_queries, 1):6.2f}x queries"
            )
    Registry.delete(args.database)
    close_db(args.database)


if __name__ == "__main__":
    main()
