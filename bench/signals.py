#!/usr/bin/env python3
"""Benchmark of recognising complaints in messages ("Herken een klacht").

On the labelled Dutch development set (tests/data/signal_messages_nl.txt) with the
shipped recognition rules and the default threshold, prints:

1. precision and recall of ``municipal.complaint.signal._detect`` (the tests ask for
   at least 0.85 of each), and the messages it missed or mistook;
2. the detector's throughput in messages per second (the set, scored many times);
3. the throughput of the scheduled scoring: the set's messages posted many times on
   contacts by citizens, then ``_cron_score_messages`` scores them all in batches
   (messages per second, queries, signals and activities); a second run finds nothing.

Run it from the repository root with the harness's virtualenv
(see bench/README_signals.md):

    .venv/bin/python bench/signals.py            # or $VENV/bin/python bench/signals.py
    .venv/bin/python bench/signals.py --messages 5000 --keep

It uses the embedded PostgreSQL of the harness (started and stopped here when it is not
running) or the server named by PGHOST/PGPORT. The benchmark database (default
``complaints_bench_signals``) is dropped and recreated: never point ``--database`` at a
database you want to keep.
"""

# A command-line tool run outside Odoo, not part of the addon: it prints its results,
# and commits what it generates in its own throwaway database.
# pylint: disable=print-used,invalid-commit

import argparse
import atexit
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = "municipal_complaint"
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo/19.0"))
BUILD = ROOT / ".build"
PROTECTED_DATABASES = {"complaints", "complaints_test"}


def say(message):
    print(f"[bench] {message}", flush=True)


def ensure_postgres():
    """Use PGHOST/PGPORT when set; otherwise start the harness's embedded cluster."""
    if os.environ.get("PGHOST") or os.environ.get("PGPORT"):
        return
    cluster, sock = ROOT / ".pgdata" / "cluster", ROOT / ".pgdata" / "socket"
    if not (cluster / "PG_VERSION").exists():
        sys.exit(
            "No PostgreSQL: set PGHOST/PGPORT, or run `make test` once "
            "to create the embedded cluster."
        )
    os.environ.update(PGHOST=str(sock), PGPORT="5432", PGDATABASE="postgres")
    pg_bin = max(Path("/usr/lib/postgresql").glob("*/bin"))
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    running = subprocess.run(
        [*as_owner, pg_bin / "pg_ctl", "-D", cluster, "status"],
        capture_output=True,
        check=False,
    )
    if running.returncode == 0:
        return
    say("starting the embedded PostgreSQL")
    subprocess.run(
        [
            *as_owner,
            pg_bin / "pg_ctl",
            "-D",
            cluster,
            "-w",
            "-l",
            ROOT / ".pgdata" / "postgres.log",
            "-o",
            f"-c listen_addresses='' -k {sock} -c fsync=off -c full_page_writes=off",
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    atexit.register(
        lambda: subprocess.run(
            [*as_owner, pg_bin / "pg_ctl", "-D", cluster, "-m", "fast", "-w", "stop"],
            stdout=subprocess.DEVNULL,
            check=False,
        )
    )


def write_config(path):
    """The harness's configuration (dev/harness.sh write_config), without HTTP."""
    (BUILD / "addons").mkdir(parents=True, exist_ok=True)
    link = BUILD / "addons" / ADDON
    if not link.exists():
        link.symlink_to(ROOT)
    path.write_text(
        "[options]\n"
        f"addons_path = {ODOO_PATH}/odoo/addons,{ODOO_PATH}/addons,{BUILD}/addons\n"
        f"data_dir = {BUILD}/data\n"
        "admin_passwd = admin\n"
        f"db_user = {os.environ.get('PGUSER') or os.environ.get('USER') or 'root'}\n"
    )


def recreate_database(config, database):
    subprocess.run(["dropdb", "--if-exists", database], check=True)
    shutil.rmtree(BUILD / "data" / "filestore" / database, ignore_errors=True)
    say(f"installing {ADDON} into a fresh database {database} (no demo data)")
    log = BUILD / "logs" / "bench-signals-install.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            str(ODOO_PATH / "odoo-bin"),
            "-c",
            str(config),
            "-d",
            database,
            "-i",
            ADDON,
            "--stop-after-init",
            "--no-http",
            "--logfile",
            str(log),
        ],
        check=True,
    )


def load_messages():
    sys.path.insert(0, str(ROOT / "tests"))
    from signal_dataset import load_messages as load  # noqa: PLC0415

    return load()


def quality(Signal, messages):
    """Precision and recall of the detector on the labelled set."""
    found = {True: 0, False: 0}
    missed, mistaken = [], []
    for is_signal, description, text in messages:
        result = Signal._detect(text)
        if result["is_signal"]:
            found[is_signal] += 1
            if not is_signal:
                mistaken.append((description, result["terms"]))
        elif is_signal:
            missed.append((description, result["terms"]))
    signals = sum(1 for is_signal, _d, _t in messages if is_signal)
    recall = found[True] / signals
    precision = found[True] / ((found[True] + found[False]) or 1)
    return precision, recall, missed, mistaken


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="complaints_bench_signals")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--repeat",
        type=int,
        default=20,
        help="passes over the set to time the detector (default 20)",
    )
    parser.add_argument(
        "--messages",
        type=int,
        default=2000,
        help="messages posted for the scheduled scoring (default 2000)",
    )
    args = parser.parse_args()
    if args.database in PROTECTED_DATABASES:
        sys.exit(f"Refusing to recreate {args.database}: choose another --database.")

    ensure_postgres()
    config = BUILD / "odoo-bench-signals.conf"
    write_config(config)
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

    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.sql_db import close_db  # noqa: PLC0415
    from odoo.tools import config as odoo_config  # noqa: PLC0415
    from odoo.tools import plaintext2html  # noqa: PLC0415

    odoo_config.parse_config(
        ["-c", str(config), "-d", args.database, "--no-http"], setup_logging=False
    )
    registry = Registry(args.database)
    messages = load_messages()
    signals_in_set = sum(1 for is_signal, _d, _t in messages if is_signal)

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        Signal = env["municipal.complaint.signal"]
        rules = env["municipal.complaint.signal.rule"].search_count([])
        threshold = env.company.complaint_signal_threshold

        Signal._detect(messages[0][2])  # load simplemma's Dutch dictionary once
        precision, recall, missed, mistaken = quality(Signal, messages)
        print()
        print(
            f"Development set: {len(messages)} messages ({signals_in_set} signals, "
            f"{len(messages) - signals_in_set} ordinary); {rules} rules, "
            f"threshold {threshold:.2f}"
        )
        print(f"  precision             {precision:8.3f}   (test: at least 0.85)")
        print(f"  recall                {recall:8.3f}   (test: at least 0.85)")
        for description, terms in missed:
            print(f"  missed:   {description}  {terms}")
        for description, terms in mistaken:
            print(f"  mistaken: {description}  {terms}")

        texts = [text for _is_signal, _d, text in messages]
        start = time.perf_counter()
        for _n in range(args.repeat):
            for text in texts:
                Signal._detect(text)
        elapsed = time.perf_counter() - start
        scored = args.repeat * len(texts)
        print(
            f"  detector throughput   {scored / elapsed:8.0f} messages/s "
            f"({scored:,} messages in {elapsed:.2f} s)"
        )

        # the scheduled scoring, end to end: messages posted by citizens on contacts
        citizens = env["res.partner"].create(
            [
                {"name": f"Inwoner {n}", "email": f"inwoner{n}@example.com"}
                for n in range(50)
            ]
        )
        env["res.users"].create(
            {
                "name": "Bench Coördinator",
                "login": "bench_signal_coordinator",
                "group_ids": [
                    (6, 0, [env.ref(f"{ADDON}.group_complaint_coordinator").id])
                ],
            }
        )
        Signal._init_high_water()
        expected = 0
        start = time.perf_counter()
        for n in range(args.messages):
            is_signal, _description, text = messages[n % len(messages)]
            citizen = citizens[n % len(citizens)]
            citizen.message_post(
                body=plaintext2html(text),
                author_id=citizen.id,
                message_type="email" if n % 2 else "comment",
                subtype_xmlid="mail.mt_comment",
            )
            expected += is_signal
        post_time = time.perf_counter() - start
        cr.commit()

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        Signal = env["municipal.complaint.signal"]
        Signal._detect(messages[0][2])
        before = cr.sql_log_count
        start = time.perf_counter()
        Signal._cron_score_messages()
        scan_time = time.perf_counter() - start
        scan_queries = cr.sql_log_count - before
        found = Signal.search_count([])
        coordinators = len(
            Signal.search([], limit=1)._get_signal_coordinators()[env.company.id]
        )
        activities = env["mail.activity"].search_count(
            [("res_model", "=", Signal._name)]
        )
        before = cr.sql_log_count
        start = time.perf_counter()
        Signal._cron_score_messages()
        again_time = time.perf_counter() - start
        again_queries = cr.sql_log_count - before
        again_found = Signal.search_count([]) - found

    print()
    print(f"Scheduled scoring of {args.messages:,} citizens' messages on contacts")
    print(
        f"  posting them          {args.messages / post_time:8.0f} messages/s "
        "(message_post, nothing scored yet)"
    )
    print(
        f"  scoring run           {args.messages / scan_time:8.0f} messages/s "
        f"({scan_time:.2f} s, {scan_queries} queries)"
    )
    print(
        f"  signals               {found:8,}   (labelled signals posted: {expected:,})"
    )
    print(
        f"  activities            {activities:8,}   "
        f"(one per coordinator: {coordinators} of them)"
    )
    print(
        f"  second run            {again_time * 1000:8.1f} ms, "
        f"{again_queries} queries, {again_found} new signals"
    )
    Registry.delete(args.database)
    close_db(args.database)


if __name__ == "__main__":
    main()
