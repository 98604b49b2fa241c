#!/usr/bin/env python3
"""Benchmark of the annual figures and the annual report PDF.

Fills a throwaway database with 200,000 cases over five years (bulk SQL, valid
for the ORM), times ``municipal.complaint._get_annual_figures`` for one year
against hand-written SQL GROUP BYs computing the same numbers, prints both,
their ratio and query counts, then renders the PDF of that year's report (40,000
cases) with wkhtmltopdf and times it.

Targets: the ORM figures within 3x the raw SQL; the PDF in under 30 s.

Run it from the repository root with the harness's virtualenv
(see bench/README_figures.md):

    .venv/bin/python bench/figures.py          # or $VENV/bin/python bench/figures.py
    .venv/bin/python bench/figures.py --keep   # keep the database afterwards

It uses the embedded PostgreSQL of the harness (started and stopped here when it is not
running) or the server named by PGHOST/PGPORT, and the harness's Odoo configuration. The
benchmark database (default ``complaints_bench``) is dropped and recreated: never point
``--database`` at a database you want to keep.
"""

# A command-line tool run outside Odoo, not part of the addon: it prints its results,
# and commits what it generates in its own throwaway database so that the next cursor
# and the HTTP server serving the PDF's assets see it.
# pylint: disable=print-used,invalid-commit

import argparse
import atexit
import os
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = "municipal_complaint"
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo/19.0"))
BUILD = ROOT / ".build"

# How the generated register is spread (roughly the 2020 report's
# proportions): kind shares per mille.
KIND_SHARES = (
    ("referral", 540),
    ("policy", 125),
    ("proactive", 40),
    ("complaint", 295),
)


def say(message):
    print(f"[bench] {message}", flush=True)


# ---------------------------------------------------------------------- PostgreSQL
def ensure_postgres():
    """Use PGHOST/PGPORT when set; otherwise start the harness's
    embedded cluster if needed (and stop it at exit if started here)."""
    if os.environ.get("PGHOST") or os.environ.get("PGPORT"):
        return
    harness = ROOT / "dev" / "harness.sh"
    words = shlex.split(
        subprocess.run(
            [harness, "pg-start"], check=True, stdout=subprocess.PIPE, text=True
        ).stdout
    )
    started = False
    for word in words:
        name, _sep, value = word.partition("=")
        if name == "PG_STARTED":
            started = value == "1"
        elif name.startswith("PG"):
            os.environ[name] = value
    if started:
        atexit.register(
            lambda: subprocess.run(
                [harness, "stop"], stdout=subprocess.DEVNULL, check=False
            )
        )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_config(path, port):
    """The harness's configuration (dev/harness.sh write_config),
    for the benchmark database."""
    (BUILD / "addons").mkdir(parents=True, exist_ok=True)
    link = BUILD / "addons" / ADDON
    if not link.exists():
        link.symlink_to(ROOT)
    path.write_text(
        "[options]\n"
        f"addons_path = {ODOO_PATH}/odoo/addons,{ODOO_PATH}/addons,{BUILD}/addons\n"
        f"data_dir = {BUILD}/data\n"
        "admin_passwd = admin\n"
        "http_interface = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"gevent_port = {port + 3}\n"
        f"db_user = {os.environ.get('PGUSER') or os.environ.get('USER') or 'root'}\n"
    )


def odoo_bin(*args):
    return subprocess.run(
        [sys.executable, str(ODOO_PATH / "odoo-bin"), *map(str, args)], check=True
    )


def recreate_database(config, database):
    subprocess.run(["dropdb", "--if-exists", database], check=True)
    shutil.rmtree(BUILD / "data" / "filestore" / database, ignore_errors=True)
    say(f"installing {ADDON} into a fresh database {database} (no demo data)")
    log = BUILD / "logs" / "bench-install.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    odoo_bin(
        "-c",
        config,
        "-d",
        database,
        "-i",
        ADDON,
        "--stop-after-init",
        "--no-http",
        "--logfile",
        log,
    )


# ---------------------------------------------------------------------------- filling
FILL_SQL = """
WITH params AS (
    SELECT %(company)s AS company_id,
           %(stage_closed)s AS stage_closed, %(stage_open)s AS stage_open,
           %(first_year)s AS first_year, %(years)s AS years, %(per_year)s AS per_year
), raw AS (
    SELECT i,
           p.first_year + (i - 1) / p.per_year AS year,
           random() AS r_kind, random() AS r_cat, random() AS r_channel,
           random() AS r_handling, random() AS r_judgment, random() AS r_close,
           random() AS r_day, random() AS r_special
    FROM params p, generate_series(1, %(total)s) AS i
), cases AS (
    SELECT raw.*,
           make_date(year, 1, 1) + floor(r_day * 365)::int AS received,
           CASE WHEN r_kind < %(p_referral)s THEN 'referral'
                WHEN r_kind < %(p_policy)s THEN 'policy'
                WHEN r_kind < %(p_proactive)s THEN 'proactive'
                ELSE 'complaint' END AS kind
    FROM raw
), shaped AS (
    SELECT c.*,
           CASE c.kind
               WHEN 'referral' THEN %(cat_referral)s WHEN 'policy' THEN %(cat_policy)s
               WHEN 'proactive' THEN %(cat_proactive)s
               ELSE (%(complaint_categories)s::int[])
                   [1 + floor(r_cat * %(n_complaint_categories)s)::int]
           END AS category_id,
           (ARRAY['phone', 'phone', 'in_person', 'email', 'email', 'web_form', 'letter',
                  'social_media'])
               [1 + floor(r_channel * 8)::int] AS channel,
           -- 6 weeks, rolled past a weekend (holidays are not looked up here)
           received + 42 AS legal_raw,
           received + CASE extract(isodow FROM received)
                          WHEN 6 THEN 6 WHEN 7 THEN 5 ELSE 7 END AS contact_deadline
    FROM cases c
), closing AS (
    SELECT s.*,
           CASE WHEN kind = 'complaint' THEN
               legal_raw + CASE extract(isodow FROM legal_raw)
                               WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END
           END AS legal_deadline,
           -- 2 in 100 cases still open; the others closed within 1 to 60 days
           CASE WHEN r_close < 0.02 THEN NULL
                ELSE received + 1 + floor(r_close * 60)::int END AS closed,
           CASE WHEN kind <> 'complaint' THEN NULL
                WHEN r_handling < 0.80 THEN 'informal'
                WHEN r_handling < 0.95 THEN 'formal'
                ELSE 'not_handled' END AS handling,
           kind = 'complaint' AND r_special < 0.005 AS to_ombudsman,
           kind = 'complaint' AND r_special BETWEEN 0.005 AND 0.01 AS in_mediation
    FROM shaped s
), final AS (
    SELECT c.*,
           CASE WHEN in_mediation OR to_ombudsman THEN NULL
                ELSE LEAST(closed, CURRENT_DATE) END AS closed_date,
           CASE WHEN to_ombudsman THEN received + 20 END AS ombudsman_date
    FROM closing c
)
INSERT INTO municipal_complaint (
    name, subject, company_id, stage_id, is_closed, category_id, kind, channel,
    received_date, received_year, active, color, mediation_state, postponed, is_story,
    handling, judgment, resolution_note, contact_deadline, contact_date, legal_deadline,
    closed_date, term_outcome, ombudsman_initiator, ombudsman_date, recognition,
    create_uid, write_uid, create_date, write_date
)
SELECT 'KL/' || year || '/B' || lpad(i::text, 6, '0'),
       'Bench case ' || i,
       p.company_id,
       CASE WHEN closed_date IS NULL THEN p.stage_open ELSE p.stage_closed END,
       closed_date IS NOT NULL,
       category_id, kind, channel, received, year, TRUE, 0,
       CASE WHEN in_mediation THEN 'ongoing'
            WHEN kind = 'referral' THEN 'succeeded'
            ELSE 'none' END,
       FALSE, FALSE,
       handling,
       CASE WHEN handling = 'formal' THEN
           (ARRAY['founded', 'partly_founded', 'unfounded', 'unfounded', 'no_judgment'])
               [1 + floor(r_judgment * 5)::int]
       END,
       CASE WHEN handling = 'informal' THEN '<p>Opgelost in een gesprek.</p>' END,
       contact_deadline, LEAST(received + 2, CURRENT_DATE), legal_deadline, closed_date,
       -- docs/rules.md, in its order: within, ombudsman, mediation, late, open
       CASE WHEN kind <> 'complaint' THEN NULL
            WHEN closed_date IS NOT NULL AND closed_date <= legal_deadline THEN 'within'
            WHEN ombudsman_date IS NOT NULL AND ombudsman_date <= legal_deadline
                THEN 'ombudsman'
            WHEN closed_date IS NULL AND in_mediation THEN 'mediation'
            WHEN closed_date IS NOT NULL OR CURRENT_DATE > legal_deadline THEN 'late'
            ELSE 'open' END,
       CASE WHEN to_ombudsman THEN
           CASE WHEN r_judgment < 0.7 THEN 'complainant' ELSE 'service' END
       END,
       ombudsman_date,
       (ARRAY['citizen', 'citizen', 'citizen', 'citizen', 'staff', 'detector'])
           [1 + mod(i, 6)],
       1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
FROM final, params p
"""

RAW_SQL = """
SELECT m.kind, c.code, m.channel, m.handling, m.judgment, m.term_outcome,
       m.recognition, count(*)
  FROM municipal_complaint m
  JOIN municipal_complaint_category c ON c.id = m.category_id
 WHERE m.company_id = %s AND m.received_year = %s AND m.active
 GROUP BY 1, 2, 3, 4, 5, 6, 7
"""

# The Nationale ombudsman lines count the real complaints by the year the ombudsman
# received them.
RAW_OMBUDSMAN_SQL = """
SELECT m.ombudsman_initiator, count(*)
  FROM municipal_complaint m
 WHERE m.company_id = %s AND m.kind = 'complaint' AND m.active
   AND m.ombudsman_initiator IS NOT NULL
   AND m.ombudsman_date >= make_date(%s, 1, 1)
   AND m.ombudsman_date <= make_date(%s, 12, 31)
 GROUP BY 1
"""


def fill(env, total, years, first_year):
    ref = env.ref
    complaint_categories = (
        env["municipal.complaint.category"].search([("kind", "=", "complaint")]).ids
    )
    per_mille = 0
    bounds = {}
    for kind, share in KIND_SHARES:
        per_mille += share
        bounds[kind] = per_mille / 1000
    env.cr.execute("SELECT setseed(0.42)")
    env.cr.execute(
        FILL_SQL,
        {
            "company": env.company.id,
            "stage_closed": ref(f"{ADDON}.stage_closed").id,
            "stage_open": ref(f"{ADDON}.stage_received").id,
            "first_year": first_year,
            "years": years,
            "per_year": total // years,
            "total": total,
            "p_referral": bounds["referral"],
            "p_policy": bounds["policy"],
            "p_proactive": bounds["proactive"],
            "cat_referral": ref(f"{ADDON}.category_doorverwijzing").id,
            "cat_policy": ref(f"{ADDON}.category_beleid").id,
            "cat_proactive": ref(f"{ADDON}.category_proactief").id,
            "complaint_categories": complaint_categories,
            "n_complaint_categories": len(complaint_categories),
        },
    )
    inserted = env.cr.rowcount
    # a few stories per year, as a coordinator would mark them
    env.cr.execute(
        """
        UPDATE municipal_complaint m
           SET is_story = TRUE, story_title = 'Verhaal ' || m.id,
               story_text =
                   'Een geanonimiseerd verhaal over een klacht die goed is afgelopen.'
          FROM (SELECT id,
                       row_number() OVER (PARTITION BY received_year ORDER BY id) AS n
                  FROM municipal_complaint
                 WHERE kind = 'complaint' AND closed_date IS NOT NULL) s
         WHERE s.id = m.id AND s.n <= 4
        """
    )
    env.cr.execute("ANALYZE municipal_complaint")
    return inserted


def check_valid(env, sample_size=2000):
    """The generated rows obey the model's constraints and its
    term_outcome rule (ORM side)."""
    from odoo import fields

    env.cr.execute(
        "SELECT id FROM municipal_complaint ORDER BY random() LIMIT %s", [sample_size]
    )
    complaints = env["municipal.complaint"].browse(
        [row[0] for row in env.cr.fetchall()]
    )
    complaints._validate_fields(complaints._fields)
    today = fields.Date.context_today(complaints[:1])
    mismatches = [
        c for c in complaints if (c.term_outcome or False) != c._get_term_outcome(today)
    ]
    return len(complaints), len(mismatches)


# ---------------------------------------------------------------------------- timing
def timed(functions, repeat):
    """Median and minimum time of each function, run in turns so
    that noise hits both alike."""
    times = [[] for _function in functions]
    results = [None] * len(functions)
    for _ in range(repeat):
        for index, function in enumerate(functions):
            start = time.perf_counter()
            results[index] = function()
            times[index].append(time.perf_counter() - start)
    return [
        (statistics.median(t), min(t), result)
        for t, result in zip(times, results, strict=True)
    ]


def fold(rows, ombudsman_rows):
    """The raw queries' rows folded into the figures dict (the same
    few dozen rows as the ORM)."""
    from odoo.addons.municipal_complaint.models.complaint import CHANNEL_GROUPS

    total = referral = policy = proactive = complaints = received = submitted = 0
    buckets = {
        name: {}
        for name in (
            "by_category",
            "by_channel",
            "by_handling",
            "by_judgment",
            "by_term",
            "by_recognition",
        )
    }

    def add(bucket, key, count):
        buckets[bucket][key] = buckets[bucket].get(key, 0) + count

    for initiator, count in ombudsman_rows:
        received += count if initiator == "complainant" else 0
        submitted += count if initiator == "service" else 0
    for kind, code, channel, handling, judgment, term, how, count in rows:
        total += count
        referral += count if kind == "referral" else 0
        policy += count if kind == "policy" else 0
        proactive += count if kind == "proactive" else 0
        if kind != "complaint":
            continue
        complaints += count
        add("by_category", code, count)
        add("by_channel", CHANNEL_GROUPS[channel], count)
        if handling:
            add("by_handling", handling, count)
        if handling == "formal" and judgment:
            add("by_judgment", judgment, count)
        if term:
            add("by_term", term, count)
        add("by_recognition", how, count)
    return {
        "total": total,
        "referral": referral,
        "service": total - referral,
        "policy": policy,
        "proactive": proactive,
        "complaints": complaints,
        **buckets,
        "ombudsman_received": received,
        "ombudsman_submitted": submitted,
    }


def start_server(config, database, port):
    """An HTTP server on the benchmark database, for
    wkhtmltopdf to fetch the report's CSS."""
    import urllib.request

    log = BUILD / "logs" / "bench-server.log"
    server = subprocess.Popen(
        [
            sys.executable,
            str(ODOO_PATH / "odoo-bin"),
            "-c",
            str(config),
            "-d",
            database,
            "--db-filter",
            f"^{database}$",
            "--http-port",
            str(port),
            "--max-cron-threads",
            "0",
            "--logfile",
            str(log),
        ],
        start_new_session=True,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/web/health", timeout=1)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"the benchmark server did not start (log: {log})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="complaints_bench")
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument(
        "--keep", action="store_true", help="keep the benchmark database"
    )
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF rendering")
    args = parser.parse_args()
    if args.database in ("complaints", "complaints_test"):
        sys.exit(
            "Refusing to overwrite the harness's own "
            "databases: choose another --database."
        )

    ensure_postgres()
    port = free_port()
    config = BUILD / "odoo-bench.conf"
    write_config(config, port)
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
    from odoo import api, fields
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db
    from odoo.tools import config as odoo_config

    odoo_config.parse_config(
        ["-c", str(config), "-d", args.database, "--no-http"], setup_logging=False
    )
    registry = Registry(args.database)
    today = fields.Date.today()
    first_year = today.year - args.years
    year = today.year - 2  # a whole year, neither the first nor the last

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        inserted = fill(env, args.cases, args.years, first_year)
        cr.commit()
        say(
            f"filled {inserted:,} cases over "
            f"{first_year}-{first_year + args.years - 1} in "
            f"{time.perf_counter() - start:.1f} s"
        )
        checked, mismatches = check_valid(env)
        say(
            f"ORM check on {checked} random cases: constraints pass, "
            f"term_outcome mismatches: {mismatches}"
        )
        coordinator = env["res.users"].create(
            {
                "name": "Bench Coördinator",
                "login": "bench_coordinator",
                "group_ids": [
                    (6, 0, [env.ref(f"{ADDON}.group_complaint_coordinator").id])
                ],
            }
        )
        cr.commit()

    with registry.cursor() as cr:
        env = api.Environment(cr, coordinator.id, {})
        Complaint = env["municipal.complaint"]
        company_id = env.company.id

        def orm():
            return Complaint._get_annual_figures(year)

        def raw():
            cr.execute(RAW_SQL, [company_id, year])
            rows = cr.fetchall()
            cr.execute(RAW_OMBUDSMAN_SQL, [company_id, year, year])
            return fold(rows, cr.fetchall())

        orm(), raw()  # warm the caches (PostgreSQL buffers, user groups)
        before = cr.sql_log_count
        orm()
        orm_queries = cr.sql_log_count - before
        before = cr.sql_log_count
        raw()
        raw_queries = cr.sql_log_count - before
        (orm_median, orm_min, orm_figures), (raw_median, raw_min, raw_figures) = timed(
            [orm, raw], args.repeat
        )
        cases_in_year = orm_figures["total"]

        print()
        print(
            f"Figures of {year} ({cases_in_year:,} cases of {args.cases:,}; "
            f"median of {args.repeat} runs)"
        )
        print(
            f"  _get_annual_figures   {orm_median * 1000:8.1f} ms (min "
            f"{orm_min * 1000:.1f})  queries: {orm_queries}"
        )
        print(
            f"  raw SQL GROUP BY      {raw_median * 1000:8.1f} ms (min "
            f"{raw_min * 1000:.1f})  queries: {raw_queries}"
        )
        print(
            "  ratio ORM / raw       "
            f"{orm_median / raw_median:8.2f}x   (target: within 3x)"
        )
        print(f"  same numbers          {orm_figures == raw_figures}")
        print(
            f"  total {orm_figures['total']:,}: complaints "
            f"{orm_figures['complaints']:,}, by_term {orm_figures['by_term']}"
        )
        if orm_figures != raw_figures:
            sys.exit("The ORM and the raw SQL disagree!")

        if not args.no_pdf:
            report = env["municipal.complaint.annual.report"].create(
                {"year": year, "lang": "en_US"}
            )
            start = time.perf_counter()
            report.action_publish()
            publish_time = time.perf_counter() - start
            env["ir.config_parameter"].sudo().set_param(
                "report.url", f"http://127.0.0.1:{port}"
            )
            cr.commit()

    if args.no_pdf:
        Registry.delete(args.database)
        close_db(args.database)
        return

    server = start_server(config, args.database, port)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, coordinator.id, {})
            report = env["municipal.complaint.annual.report"].browse(report.id)
            start = time.perf_counter()
            pdf, kind = env["ir.actions.report"]._render_qweb_pdf(
                f"{ADDON}.action_report_annual", report.ids
            )
            pdf_time = time.perf_counter() - start
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        Registry.delete(args.database)
        close_db(args.database)
    out = BUILD / f"bench-annual-report-{year}.pdf"
    out.write_bytes(pdf)
    print()
    print(f"Annual report {year} ({cases_in_year:,} cases)")
    print(f"  publish (freeze)      {publish_time * 1000:8.1f} ms")
    print(
        f"  PDF (wkhtmltopdf)     {pdf_time:8.2f} s   ({kind}, {len(pdf):,} bytes, "
        f"{out})   (target: under 30 s)"
    )


if __name__ == "__main__":
    main()
