#!/usr/bin/env python3
"""Fault test: a scheduled action's worker is killed between two batches.

For each of the addon's batched scheduled actions -- the deadline warnings
(``cron_deadline_warnings``), the destruction lists (``cron_destruction_lists``) and
the scoring of incoming messages (``cron_score_signal_messages``) -- it:

1. fills a throwaway copy of the test database with work for it (committed);
2. runs the scheduled action as Odoo's cron worker does
   (``ir.cron.method_direct_trigger``: the job machinery, its progress and its
   commits) in a separate ``odoo-bin shell`` process, with batches of 3;
3. lets that process commit its first batch, do the work of the second, and kills
   it (SIGKILL, as the kernel's out-of-memory killer or Odoo's ``limit_memory_hard``
   would) before that second batch is committed;
4. checks what the database holds: the first batch, nothing of the second;
5. runs the scheduled action again, as the next run of a cron worker would, and checks
   that everything is done exactly once: no warning, list line or signal missing, none
   twice.

Everything runs on this machine against the harness's embedded PostgreSQL, within a
time limit; the copy is dropped at the end. Exit status 1 when a check fails.
Run it with ``make faults`` (which prepares the test database), or from the
repository root: ``.venv/bin/python dev/faults_cron.py``.
"""

# A command-line tool run outside Odoo, not part of the addon: it prints its report and
# commits what it sets up in its own throwaway database; its messages are test data.
# pylint: disable=print-used,invalid-commit,translation-required

import argparse
import atexit
import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import figures as fig  # noqa: E402  bench/figures.py: config, PostgreSQL, odoo-bin

ADDON, BUILD, ODOO_PATH = fig.ADDON, fig.BUILD, fig.ODOO_PATH
BATCH = 3
WORK = 10  # items per scheduled action: four batches of 3
KILL_WAIT = 180  # seconds for the killed run to reach its second batch

# Run in the killed process: Odoo's own _commit_progress, except that the second
# batch, done but not committed, waits to be killed.
KILLED_RUN = textwrap.dedent(
    """
    import sys, time
    IrCron = type(env["ir.cron"])
    odoo_commit_progress = IrCron._commit_progress
    batches = []

    def commit_progress(self, processed=0, **kwargs):
        if processed:
            batches.append(processed)
            if len(batches) == 2:
                print("SECOND BATCH DONE, NOT COMMITTED", flush=True)
                time.sleep(3600)
        result = odoo_commit_progress(self, processed, **kwargs)
        if processed and len(batches) == 1:
            print("FIRST BATCH COMMITTED", flush=True)
        return result

    IrCron._commit_progress = commit_progress
    env.ref("{cron}").method_direct_trigger()
    print("RAN TO THE END", flush=True)
    """
)


def say(message):
    print(f"[faults] {message}", flush=True)


class Checks:
    def __init__(self):
        self.results = []

    def __call__(self, name, ok, detail=""):
        self.results.append((name, bool(ok), detail))
        print(
            f"check  {'ok  ' if ok else 'FAIL'} {name}"
            + (f": {detail}" if detail else "")
        )


# ------------------------------------------------------------------ the database
def copy_test_database(source, database):
    subprocess.run(["dropdb", "--if-exists", database], check=True)
    shutil.rmtree(BUILD / "data" / "filestore" / database, ignore_errors=True)
    subprocess.run(["createdb", "-T", source, database], check=True)
    filestore = BUILD / "data" / "filestore" / source
    if filestore.exists():
        shutil.copytree(filestore, BUILD / "data" / "filestore" / database)
    atexit.register(
        lambda: (
            subprocess.run(["dropdb", "--if-exists", database], check=False),
            shutil.rmtree(BUILD / "data" / "filestore" / database, ignore_errors=True),
        )
    )


def environment(registry):
    from odoo import SUPERUSER_ID, api

    cr = registry.cursor()
    return cr, api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


# ------------------------------------------------------------------ the runs
def killed_run(config, database, cron_xmlid):
    """Run the scheduled action in its own process and kill it when its second
    batch is done but not committed. Returns what it printed."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(ODOO_PATH / "odoo-bin"),
            "shell",
            "-c",
            str(config),
            "-d",
            database,
            "--no-http",
            "--log-level",
            "warn",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    process.stdin.write(KILLED_RUN.format(cron=cron_xmlid))
    process.stdin.close()
    seen = []
    deadline = time.monotonic() + KILL_WAIT
    try:
        while time.monotonic() < deadline and process.poll() is None:
            ready, _w, _x = select.select([process.stdout], [], [], 1)
            if not ready:
                continue
            line = process.stdout.readline()
            seen.append(line.rstrip())
            if "SECOND BATCH DONE" in line:
                os.killpg(process.pid, signal.SIGKILL)
                break
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    return seen, process.returncode


def next_run(registry, cron_xmlid):
    """The next run of the scheduled action, as a cron worker makes it."""
    cr, env = environment(registry)
    try:
        result = env.ref(cron_xmlid).method_direct_trigger()
        cr.commit()
    finally:
        cr.close()
    if result is not True:  # Odoo answers a failed run with an error to display
        say(f"the next run failed: {str(result)[:500]}")


def set_batch_size(registry, cron_xmlid, code):
    cr, env = environment(registry)
    try:
        env.ref(cron_xmlid).code = code
        cr.commit()
    finally:
        cr.close()


def scenario(checks, config, database, registry, name, cron_xmlid, code, fill, state):
    """One scheduled action: fill, kill mid-run, look, run again, look."""
    say(f"{name}: {WORK} items, batches of {BATCH}")
    set_batch_size(registry, cron_xmlid, code)
    cr, env = environment(registry)
    try:
        expected = fill(env)
        cr.commit()
        before = state(env)
    finally:
        cr.close()
    start = time.monotonic()
    printed, status = killed_run(config, database, cron_xmlid)
    killed = any("SECOND BATCH DONE" in line for line in printed)
    checks(
        f"{name}: the worker was killed with its second batch done, not committed",
        killed and status == -signal.SIGKILL,
        f"exit status {status} after {time.monotonic() - start:.0f} s"
        + ("" if killed else f"; it printed: {printed[-5:]}"),
    )
    cr, env = environment(registry)
    try:
        after_kill = state(env)
    finally:
        cr.close()
    checks(
        f"{name}: after the kill the first batch is kept and nothing of the second",
        after_kill["done"] - before["done"] == BATCH and after_kill["twice"] == 0,
        f"{after_kill['done'] - before['done']} done (the first batch: {BATCH}), "
        f"{after_kill['twice']} twice",
    )
    next_run(registry, cron_xmlid)
    cr, env = environment(registry)
    try:
        after = state(env)
    finally:
        cr.close()
    checks(
        f"{name}: the next run did the rest, nothing twice, nothing missing",
        after["done"] - before["done"] == expected
        and after["twice"] == 0
        and after["left"] == 0,
        f"{after['done'] - before['done']} of {expected} done, {after['twice']} "
        f"twice, {after['left']} left",
    )


# ------------------------------------------------------------------ warnings
def fill_warnings(env):
    """Open cases whose first-contact deadline passed and that were never warned."""
    from odoo.tools import SQL

    from odoo.addons.municipal_complaint.models.complaint_deadline import (
        PENDING_DEADLINES,
    )

    Complaint = env["municipal.complaint"].with_context(
        complaint_no_acknowledgment=True, mail_notify_force_send=False
    )
    # the rest of the database counts as warned already: not part of this test
    env.cr.execute(
        SQL(
            "UPDATE municipal_complaint SET %s",
            SQL(", ").join(
                SQL(
                    "%s = %s",
                    SQL.identifier(f"{key}_warning_deadline"),
                    SQL.identifier(deadline),
                )
                for key, deadline, _met in PENDING_DEADLINES
            ),
        )
    )
    env.invalidate_all()
    handler = env.ref("base.user_admin")
    Complaint.create(
        [
            {
                "subject": f"Storing waarschuwing {number}",
                "category_id": env.ref(f"{ADDON}.category_bejegening").id,
                "channel": "phone",
                "received_date": date.today() - timedelta(days=20),
                "user_id": handler.id,
            }
            for number in range(WORK)
        ]
    )
    env.flush_all()
    return env["municipal.complaint"]._count_deadline_warnings_due()


def warning_state(env):
    kinds = [
        env.ref(f"{ADDON}.mail_activity_type_contact_deadline").id,
        env.ref(f"{ADDON}.mail_activity_type_legal_deadline").id,
    ]
    env.cr.execute(
        """SELECT count(DISTINCT a.res_id),
                  count(*) - count(DISTINCT (a.res_id, a.activity_type_id, a.user_id))
             FROM mail_activity a
             JOIN municipal_complaint c ON c.id = a.res_id
            WHERE a.res_model = 'municipal.complaint'
              AND a.activity_type_id = ANY(%s)
              AND c.subject LIKE 'Storing waarschuwing %%'""",
        [kinds],
    )
    done, twice = env.cr.fetchone()
    return {
        "done": done,
        "twice": twice,
        "left": env["municipal.complaint"]._count_deadline_warnings_due(),
    }


# ------------------------------------------------------------------ destruction lists
def fill_destruction(env):
    """Closed cases past their retention date, on no list yet."""
    env.cr.execute(
        "UPDATE municipal_complaint SET retention_date = NULL "
        "WHERE closed_date IS NOT NULL"
    )
    env.invalidate_all()
    long_ago = date.today() - timedelta(days=7 * 365)
    env["municipal.complaint"].with_context(
        complaint_import_history=True, complaint_no_acknowledgment=True
    ).create(
        [
            {
                "subject": f"Storing vernietiging {number}",
                "category_id": env.ref(f"{ADDON}.category_bejegening").id,
                "channel": "letter",
                "received_date": long_ago,
                "closed_date": long_ago + timedelta(days=20),
                "handling": "informal",
                "resolution_note": "<p>Opgelost.</p>",
            }
            for number in range(WORK)
        ]
    )
    env.flush_all()
    Destruction = env["municipal.complaint.destruction"]
    return env["municipal.complaint"].search_count(Destruction._get_due_domain())


def destruction_state(env):
    env.cr.execute(
        """SELECT count(DISTINCT l.complaint_id),
                  count(*) - count(DISTINCT l.complaint_id)
             FROM municipal_complaint_destruction_line l
             JOIN municipal_complaint c ON c.id = l.complaint_id
            WHERE c.subject LIKE 'Storing vernietiging %%'"""
    )
    done, twice = env.cr.fetchone()
    from odoo.fields import Domain

    Destruction = env["municipal.complaint.destruction"]
    left = env["municipal.complaint"].search_count(
        Destruction._get_due_domain()
        & Domain("subject", "like", "Storing vernietiging")
    )
    return {"done": done, "twice": twice, "left": left}


# ------------------------------------------------------------------ signals
def fill_signals(env):
    """Citizens' e-mails on their contacts that the detector recognises."""
    Signal = env["municipal.complaint.signal"]
    Signal._init_high_water()
    for number in range(WORK):
        citizen = env["res.partner"].create(
            {
                "name": f"Storing burger {number}",
                "email": f"storing.{number}@example.com",
            }
        )
        citizen.message_post(
            body="Ik ben zeer ontevreden: niemand belt mij terug en ik wil een klacht "
            "indienen over de behandeling van mijn aanvraag.",
            author_id=citizen.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
    env.flush_all()
    return WORK


def signal_state(env):
    env.cr.execute(
        """SELECT count(DISTINCT s.mail_message_id),
                  count(*) - count(DISTINCT s.mail_message_id)
             FROM municipal_complaint_signal s
             JOIN res_partner p ON p.id = s.partner_id
            WHERE p.name LIKE 'Storing burger %%'"""
    )
    done, twice = env.cr.fetchone()
    Signal = env["municipal.complaint.signal"]
    watched = Signal._get_watched_models()
    models = tuple(sorted(set().union(*watched.values())))
    left = Signal._count_messages_to_score(Signal._get_high_water(), models)
    return {"done": done, "twice": twice, "left": left}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source",
        default=os.environ.get("TEST_DB", "complaints_test"),
        help="the database with the addon installed to copy (make faults prepares it)",
    )
    parser.add_argument("--database", default="complaints_faults_cron")
    args = parser.parse_args()

    fig.ensure_postgres()
    config = BUILD / "odoo-faults.conf"
    fig.write_config(config, fig.free_port())
    say(f"copying {args.source} to {args.database}")
    copy_test_database(args.source, args.database)

    from load import close_registry, open_registry  # bench/load.py

    registry = open_registry(config, args.database)
    atexit.register(close_registry, args.database)
    checks = Checks()
    scenario(
        checks,
        config,
        args.database,
        registry,
        "deadline warnings",
        f"{ADDON}.cron_deadline_warnings",
        f"model._cron_deadline_warnings(batch_size={BATCH})",
        fill_warnings,
        warning_state,
    )
    scenario(
        checks,
        config,
        args.database,
        registry,
        "destruction lists",
        f"{ADDON}.cron_destruction_lists",
        f"model._cron_build_destruction_lists(batch_size={BATCH})",
        fill_destruction,
        destruction_state,
    )
    scenario(
        checks,
        config,
        args.database,
        registry,
        "signal scoring",
        f"{ADDON}.cron_score_signal_messages",
        f"model._cron_score_messages(batch_size={BATCH})",
        fill_signals,
        signal_state,
    )
    failed = [name for name, ok, _detail in checks.results if not ok]
    if failed:
        say(f"FAILED: {', '.join(failed)}")
        sys.exit(1)
    say("all checks hold: a killed scheduled action loses nothing and repeats nothing")


if __name__ == "__main__":
    main()
