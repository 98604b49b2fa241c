#!/usr/bin/env python3
"""Load test: Odoo as production runs it, under the Dienst's daily traffic.

Starts Odoo in prefork mode (``--workers 4 --max-cron-threads 2``, ``proxy_mode``)
on the harness's embedded PostgreSQL and drives it from 127.0.0.1 only, with a
fixed number of requests and a time limit; it stops by itself, and stops the
server it started:

1. ``/klacht``: 200 submissions (form page, then the post) from 20 concurrent
   clients, each client a distinct address sent as ``X-Forwarded-For`` (IPv4 and
   IPv6; two addresses of one IPv6 /64 are one client), 10 per client, a third
   with a PDF attachment; half of them over the limit per address per hour;
2. ``/my/complaints``: 2,000 list pages read by 50 portal users (25 people of five
   contract partners, 25 citizens), 10 at a time;
3. the kanban: 2,000 reads by 10 staff users (2 klachtcoördinatoren, 8
   medewerkers) at once, as the web client makes them: ``web_read_group`` with the
   fields the kanban view asks for (open the kanban) followed by its
   ``read_progress_bar``, or ``web_search_read`` of the next 40 cards of a column
   (load more);
4. the daily deadline-warning cron, woken in both cron workers at once (a NOTIFY),
   while a coordinator presses "Run manually" (``method_direct_trigger``).

It prints, per route, throughput, latency (p50/p95 at the client, and server time
from Odoo's request log) and errors, then checks: no 5xx; every accepted submission
stored exactly once with a unique reference and no refused one stored; the limit
per address exact across the workers; no duplicate warning activity and none left
to warn; no case shown to a user whose access rules do not allow it (the cases of
sampled pages checked in SQL, and other people's cases asked for directly). Any
failed check makes the exit status 1. The speed targets are printed with the
measured value; ``--strict`` makes a missed target fail too.

The database: a template with 200,000 cases (40,000 open), or 5,000 (1,000 open)
with ``--small``, filled with bulk SQL by ``bench/figures.py``'s generator, plus
the users, contract partners, citizens and the open cases spread over handlers;
it is built once and kept (``complaints_load_tpl_<cases>``), brought up to date with
``-u`` when the addon changed, and each run works on a fresh copy of it.

Run it with the harness (``make load``, ``make load LOAD_ARGS=--small``) or from the
repository root with the harness's virtualenv: ``.venv/bin/python bench/load.py
--small``. See bench/README.md.
"""

# A command-line tool run outside Odoo, not part of the addon: it prints its report and
# commits what it generates in its own benchmark databases.
# pylint: disable=print-used,invalid-commit

import argparse
import atexit
import contextlib
import hashlib
import http.client
import http.server
import json
import os
import queue
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from datetime import date
from xml.etree import ElementTree

import figures as fig  # bench/figures.py: the register generator, config and PostgreSQL
import requests

ROOT, BUILD, ADDON, ODOO_PATH = fig.ROOT, fig.BUILD, fig.ADDON, fig.ODOO_PATH
PASSWORD = "load"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
KANBAN_LIMIT = 40  # cards per column on opening, and per "load more" (web client)
FORWARDED_HOST = "klachten.example.nl"
# Client addresses of the /klacht phase: documentation ranges only (RFC 5737, RFC 3849);
# they only travel in a header to 127.0.0.1. The last two IPv6 entries are one /64.
KLACHT_ADDRESSES = (
    [f"192.0.2.{i}" for i in range(10, 19)]
    + [f"198.51.100.{i}" for i in range(20, 26)]
    + [
        "2001:db8:10:1::5",
        "2001:db8:10:2::5",
        "2001:db8:10:3::1",
        "2001:db8:10:4::1",
        "2001:db8:10:4::abcd",
    ]
)
TARGETS = {
    # route: (measure, limit in seconds, what)
    "kanban open (web_read_group)": ("server p95", 0.300, "kanban first page"),
    "portal /my/complaints": ("server p95", 0.200, "portal list page"),
    "POST /klacht accepted": ("client p95", 1.000, "/klacht accepted"),
}


def say(message):
    print(f"[load] {message}", flush=True)


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# ------------------------------------------------------------------ the database
def source_fingerprint():
    """What the template was built or updated from: the addon's files as
    committed and changed since, the benchmarks and the documentation aside
    (changing them needs no update of the database)."""
    paths = ["--", ".", ":(exclude)bench", ":(exclude)docs", ":(exclude)*.md"]
    committed = subprocess.run(
        ["git", "-C", ROOT, "ls-files", "--stage", *paths], capture_output=True
    ).stdout
    changed = subprocess.run(
        ["git", "-C", ROOT, "diff", "HEAD", *paths], capture_output=True
    ).stdout
    return hashlib.sha256(committed + changed).hexdigest()[:32]


def psql(database, sql):
    return subprocess.run(
        ["psql", "-XtAq", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def database_exists(name):
    return (
        psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
    )


def open_registry(config, database):
    from odoo.modules.registry import Registry
    from odoo.tools import config as odoo_config

    odoo_config.parse_config(
        ["-c", str(config), "-d", database, "--no-http"], setup_logging=False
    )
    return Registry(database)


def close_registry(database):
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db

    Registry.delete(database)
    close_db(database)


OPEN_SQL = """
WITH pick AS (
    SELECT id, row_number() OVER (ORDER BY random()) AS n
      FROM municipal_complaint ORDER BY random() LIMIT %(open)s
), shaped AS (
    SELECT id, n, (CURRENT_DATE - (n %% 70)::int) AS received FROM pick
)
UPDATE municipal_complaint m
   SET received_date = s.received,
       received_year = extract(year FROM s.received)::int,
       closed_date = NULL, is_closed = FALSE,
       stage_id = (%(open_stages)s::int[])[1 + (s.n %% %(n_open_stages)s)::int],
       handling = NULL, judgment = NULL, resolution_note = NULL,
       contact_date = CASE WHEN s.n %% 2 = 0
                           THEN LEAST(s.received + 2, CURRENT_DATE) END,
       mediation_state = CASE WHEN m.kind = 'referral' THEN 'ongoing' ELSE 'none' END,
       ombudsman_date = NULL, ombudsman_initiator = NULL,
       is_story = FALSE, story_title = NULL, story_text = NULL,
       user_id = CASE WHEN s.n %% 10 = 0 THEN NULL
                      ELSE (%(handlers)s::int[])[1 + (s.n %% %(n_handlers)s)::int] END
  FROM shaped s
 WHERE s.id = m.id
RETURNING m.id
"""


def populate(env, open_count):
    """People and their cases on top of the generated register: staff, contract
    partners with portal users, citizens; ``open_count`` cases reopened, received
    in the last ten weeks and spread over the medewerkers."""
    from odoo import fields

    ref = env.ref
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    Partner = env["res.partner"].with_context(tracking_disable=True)
    portal = ref("base.group_portal")

    def user(login, name, group, partner=None):
        values = {
            "login": login,
            "name": name,
            "group_ids": [(6, 0, [group.id])],
            "lang": "nl_NL",
            "tz": "Europe/Amsterdam",
        }
        if partner:
            values["partner_id"] = partner.id
        return Users.create(values)

    coordinator_group = ref(f"{ADDON}.group_complaint_coordinator")
    coordinators = [
        user(f"load_coordinator{i}", f"Coördinator {i}", coordinator_group)
        for i in (1, 2)
    ]
    employees = [
        user(
            f"load_employee{i}", f"Medewerker {i}", ref(f"{ADDON}.group_complaint_user")
        )
        for i in range(1, 9)
    ]
    organisations = Partner.create(
        [
            {
                "name": f"Zorgpartner {i}",
                "is_company": True,
                "is_complaint_partner": True,
            }
            for i in range(1, 6)
        ]
    )
    partner_users = []
    for organisation in organisations:
        for j in range(1, 6):
            contact = Partner.create(
                {
                    "name": f"{organisation.name} medewerker {j}",
                    "parent_id": organisation.id,
                }
            )
            partner_users.append(
                user(
                    f"load_partner{organisation.id}_{j}", contact.name, portal, contact
                )
            )
    citizens = [user(f"load_citizen{i}", f"Burger {i}", portal) for i in range(1, 26)]
    env.flush_all()
    # one password for all, hashed once (the ORM would hash it per user)
    env.cr.execute(
        "UPDATE res_users SET password = %s WHERE login LIKE 'load\\_%%'",
        [Users._crypt_context().hash(PASSWORD)],
    )

    stages = env["municipal.complaint.stage"].search([("is_closed", "=", False)])
    env.cr.execute(
        OPEN_SQL,
        {
            "open": open_count,
            "open_stages": stages.ids,
            "n_open_stages": len(stages),
            "handlers": [u.id for u in employees],
            "n_handlers": len(employees),
        },
    )
    opened = [row[0] for row in env.cr.fetchall()]
    # referrals to the five partners; citizens' own complaints (8 each)
    env.cr.execute(
        """UPDATE municipal_complaint
              SET referral_partner_id = (%s::int[])[1 + id %% 5],
                  referral_date = LEAST(received_date + 1, CURRENT_DATE)
            WHERE kind = 'referral'""",
        [organisations.ids],
    )
    env.cr.execute(
        """WITH pick AS (SELECT id, row_number() OVER (ORDER BY random()) AS n
                           FROM municipal_complaint WHERE kind = 'complaint'
                          ORDER BY random() LIMIT %s)
           UPDATE municipal_complaint m SET partner_id = (%s::int[])[1 + p.n %% 25]
             FROM pick p WHERE p.id = m.id""",
        [8 * len(citizens), [u.partner_id.id for u in citizens]],
    )
    env.invalidate_all()
    Complaint = env["municipal.complaint"]
    reopened = Complaint.browse(opened)
    # the stored deadlines of an open case (see _recompute_open_deadlines)
    for name in (
        "contact_deadline",
        "legal_deadline",
        "not_handled_deadline",
        "term_outcome",
    ):
        env.add_to_compute(Complaint._fields[name], reopened)
    env.flush_all()
    # A database in use made its reference sequence (and this year's range of it)
    # with its first case: so does the template (see --fresh-sequence).
    first = Complaint.with_context(
        tracking_disable=True, complaint_no_acknowledgment=True
    ).create(
        {
            "subject": "Eerste klacht",
            "category_id": ref(f"{ADDON}.category_overig").id,
            "user_id": employees[0].id,
        }
    )
    env.flush_all()
    env.cr.execute("ANALYZE")
    return {
        "first_reference": first.name,
        "coordinators": len(coordinators),
        "employees": len(employees),
        "partner_users": len(partner_users),
        "citizens": len(citizens),
        "open": len(opened),
        "today": str(fields.Date.today()),
    }


def build_template(config, template, args):
    from odoo import SUPERUSER_ID, api

    fig.recreate_database(config, template)
    say("loading Dutch, the users' language")
    fig.odoo_bin(
        "-c",
        config,
        "-d",
        template,
        "--load-language",
        "nl_NL",
        "--stop-after-init",
        "--no-http",
        "--logfile",
        BUILD / "logs" / "bench-install.log",
    )
    registry = open_registry(config, template)
    try:
        with registry.cursor() as cr:
            env = api.Environment(
                cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True}
            )
            start = time.perf_counter()
            first_year = date.today().year - 5
            inserted = fig.fill(env, args.cases, 5, first_year)
            say(
                f"filled {inserted:,} cases over {first_year}-{first_year + 4} "
                f"({time.perf_counter() - start:.1f} s)"
            )
            made = populate(env, args.open)
            checked, mismatches = fig.check_valid(env, sample_size=1000)
            say(
                f"people and open cases: {made}; ORM check on {checked} cases: "
                f"term_outcome mismatches {mismatches}"
            )
            env["ir.config_parameter"].set_param(
                "bench_load.source", source_fingerprint()
            )
            env["ir.config_parameter"].set_param("bench_load.built", json.dumps(made))
            cr.commit()
    finally:
        close_registry(template)


def ensure_template(config, args):
    """The template database: built once, updated when the addon changed."""
    template = f"complaints_load_tpl_{args.cases}"
    fresh = args.rebuild or not database_exists(template)
    if not fresh:
        built = psql(
            template,
            "SELECT value FROM ir_config_parameter WHERE key = 'bench_load.built'",
        )
        if not built:
            fresh = True  # an interrupted build
    if fresh:
        say(
            f"building the template database {template} ({args.cases:,} cases, "
            f"{args.open:,} open): a few minutes, once"
        )
        build_template(config, template, args)
    elif (
        psql(
            template,
            "SELECT value FROM ir_config_parameter WHERE key = 'bench_load.source'",
        )
        != source_fingerprint()
    ):
        say(f"the addon changed since {template} was built: updating it (-u {ADDON})")
        log = BUILD / "logs" / "load-update.log"
        fig.odoo_bin(
            "-c",
            config,
            "-d",
            template,
            "-u",
            ADDON,
            "--stop-after-init",
            "--no-http",
            "--logfile",
            log,
        )
        if re.search(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", log.read_text(), re.M):
            sys.exit(f"updating {template} logged errors (log: {log})")
        psql(
            template,
            f"UPDATE ir_config_parameter SET value = '{source_fingerprint()}' "
            "WHERE key = 'bench_load.source'",
        )
    else:
        say(f"reusing the template database {template}")
    return template


def copy_database(template, database):
    subprocess.run(["dropdb", "--if-exists", database], check=True)
    shutil.rmtree(BUILD / "data" / "filestore" / database, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(["createdb", "-T", template, database], check=True)
    source = BUILD / "data" / "filestore" / template
    if source.exists():
        shutil.copytree(source, BUILD / "data" / "filestore" / database)
    # no outgoing mail server here: the mail queue stays queued instead of failing
    psql(
        database,
        "UPDATE ir_cron SET active = FALSE WHERE id IN (SELECT res_id FROM "
        "ir_model_data WHERE module = 'mail' "
        "AND name = 'ir_cron_mail_scheduler_action')",
    )
    say(f"copied {template} to {database} ({time.perf_counter() - start:.1f} s)")


# ------------------------------------------------------------------ the server
class Server:
    """Odoo as production runs it, under a supervisor that starts it again when it
    stops (systemd's ``Restart=always``, docs/production.md): Odoo's prefork master
    stops itself when it must start a worker while PostgreSQL is away."""

    def __init__(self, config, database, port, log, supervise=False):
        self.port, self.log, self.database = port, log, database
        self.config = config
        self.restarts = 0
        # (stopped, answering again) of each restart, on the monotonic clock: a
        # request in such a window met a restart (DatabaseRestarter.overlaps)
        self.windows = []
        self._stopping = False
        log.parent.mkdir(parents=True, exist_ok=True)
        log.unlink(missing_ok=True)
        self.process = self._spawn()
        atexit.register(self.stop)
        self.url = f"http://127.0.0.1:{port}"
        self._wait_ready()
        if supervise:
            threading.Thread(target=self._supervise, daemon=True).start()

    def _spawn(self):
        return subprocess.Popen(
            [
                sys.executable,
                str(ODOO_PATH / "odoo-bin"),
                "-c",
                str(self.config),
                "-d",
                self.database,
                "--db-filter",
                f"^{self.database}$",
                "--http-interface",
                "127.0.0.1",
                "--http-port",
                str(self.port),
                "--gevent-port",
                str(fig.free_port()),
                "--workers",
                "4",
                "--max-cron-threads",
                "2",
                "--proxy-mode",
                "--db_maxconn",
                "16",
                "--limit-time-cpu",
                "600",
                "--limit-time-real",
                "1200",
                "--limit-memory-soft",
                "2147483648",
                "--limit-memory-hard",
                "2684354560",
                "--logfile",
                str(self.log),
                "--log-level",
                "info",
            ],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def _supervise(self):
        """Start the server again a second after it stopped by itself."""
        while not self._stopping:
            if self.process.poll() is not None and not self._stopping:
                stopped = time.monotonic() - 0.5
                time.sleep(1)
                if self._stopping:
                    return
                self.restarts += 1
                say(f"the server stopped by itself: started again ({self.restarts})")
                self.process = self._spawn()
                self.wait_until_up()
                self.windows.append((stopped, time.monotonic()))
            time.sleep(0.5)

    def wait_until_up(self, seconds=120):
        """Wait until the server, perhaps started again, answers."""
        for _ in range(seconds * 2):
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/web/health", timeout=2).ok:
                    return
            time.sleep(0.5)
        sys.exit(f"the server did not answer again in {seconds} s (log: {self.log})")

    def _wait_ready(self):
        log = self.log
        for _ in range(240):
            if self.process.poll() is not None:
                sys.exit(f"the server exited at start (log: {log})")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/web/health", timeout=2).ok:
                    return
            time.sleep(0.5)  # not listening yet
        self.stop()
        sys.exit(f"the server did not start in 2 minutes (log: {log})")

    def stop(self):
        self._stopping = True
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class KlachtProxy:
    """What docs/production.md's nginx does for ``/klacht``, in front of the server:
    it passes every request on, and when Odoo answers 404 or 5xx there, or cannot be
    reached -- what Odoo itself answers while its database is down, before any addon
    runs -- it shows the addon's static page (``static/outage/klacht.html``, fetched
    from Odoo, which serves it without a database) with status 503. The addon's own
    503 page (a request in flight) and everything else pass unchanged."""

    INTERCEPTED = (404, 500, 502, 504)
    PAGE = f"/{ADDON}/static/outage/klacht.html"

    def __init__(self, upstream):
        self.upstream = urllib.parse.urlsplit(upstream)
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                proxy.forward(self)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.intercepted = Counter()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        atexit.register(self.httpd.shutdown)

    def call(self, method, path, headers, body=None):
        connection = http.client.HTTPConnection(
            self.upstream.hostname, self.upstream.port, timeout=120
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def forward(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else None
        headers = {
            name: value
            for name, value in handler.headers.items()
            if name.lower() not in ("host", "connection", "keep-alive")
        }
        headers["Host"] = self.upstream.netloc
        try:
            status, response_headers, content = self.call(
                handler.command, handler.path, headers, body
            )
        except OSError:
            status, response_headers, content = 502, [], b""
        path = urllib.parse.urlsplit(handler.path).path
        if INTAKE_PATH.match(path) and status in self.INTERCEPTED:
            self.intercepted[status] += 1
            try:
                _status, _headers, content = self.call("GET", self.PAGE, {})
            except OSError:
                content = b"Probeer het later opnieuw. Please try again later."
            status = 503
            response_headers = [("Content-Type", "text/html; charset=utf-8")]
        handler.send_response(status)
        for name, value in response_headers:
            if name.lower() not in (
                "transfer-encoding",
                "connection",
                "content-length",
            ):
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(content)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(content)


INTAKE_PATH = re.compile(r"^(?:/[a-z]{2}(?:_[A-Z]{2})?)?/klacht/?$")


LOG_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<code>\d{3}) \S+ '
    r"(?P<queries>\d+) (?P<qtime>[\d.]+) (?P<rtime>[\d.]+)"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def server_times(log):
    """Server time (SQL + Python) of each request, by route, from Odoo's request log."""
    times = defaultdict(list)
    for line in log.read_text(errors="replace").splitlines():
        match = LOG_LINE.search(ANSI.sub("", line))
        if match:
            route = route_of(match["method"], match["path"], int(match["code"]))
            if route:
                times[route].append(float(match["qtime"]) + float(match["rtime"]))
    return times


def route_of(method, path, code):
    path, _sep, fragment = path.partition("#")
    path = path.split("?")[0]
    if path == "/klacht":
        if method == "GET":
            return "GET /klacht"
        return "POST /klacht accepted" if code == 200 else "POST /klacht refused"
    path = re.sub(r"^/[a-z]{2}(_[A-Z]{2})?(?=/my/)", "", path)  # the language prefix
    if path.startswith("/my/complaints/") and path.rsplit("/", 1)[-1].isdigit():
        return "portal: another's case"
    if path.startswith("/my/complaints"):
        return "portal /my/complaints"
    method_name = fragment.rsplit(".", 1)[-1] if fragment else ""
    return {
        "web_read_group": "kanban open (web_read_group)",
        "read_progress_bar": "kanban progress bar",
        "web_search_read": "kanban load more (web_search_read)",
        "method_direct_trigger": "cron: run manually",
    }.get(method_name)


# ------------------------------------------------------------------ the clients
class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.errors = defaultdict(list)
        self.phases = {}
        # (route, status, started, ended) of each request, on the monotonic clock
        self.requests = []

    def record(self, route, seconds, status, error=None):
        ended = time.monotonic()
        with self.lock:
            self.times[route].append(seconds)
            self.statuses[route][status] += 1
            self.requests.append((route, status, ended - seconds, ended, error))
            if error:
                self.errors[route].append(error)


class Client:
    """One person's browser: a session, timed requests, and the client address the
    proxy would forward."""

    def __init__(self, base_url, stats, deadline, address=None):
        self.base_url, self.stats, self.deadline = base_url, stats, deadline
        self.session = requests.Session()
        self.headers = {"X-Forwarded-Host": FORWARDED_HOST}
        if address:
            self.headers["X-Forwarded-For"] = address

    def request(self, route, method, path, **kwargs):
        if time.monotonic() > self.deadline:
            raise TimeoutError("time limit reached")
        start = time.perf_counter()
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                headers=self.headers,
                timeout=120,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as error:
            self.stats.record(
                route, time.perf_counter() - start, "exception", repr(error)
            )
            return None
        elapsed = time.perf_counter() - start
        error = None
        if response.status_code >= 500:
            error = f"{response.status_code} on {path}"
        elif path.startswith("/web/") and response.headers.get(
            "Content-Type", ""
        ).startswith("application/json"):
            body = response.json()
            if body.get("error"):
                error = f"{path}: {body['error'].get('data', {}).get('message')}"
        self.stats.record(route, elapsed, response.status_code, error)
        return response

    def call(self, route, model, method, args, kwargs):
        response = self.request(
            route,
            "POST",
            f"/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs,
                },
            },
        )
        if response is None or response.status_code != 200:
            return None
        return response.json().get("result")

    def login(self, database, login, password=PASSWORD):
        response = self.session.post(
            self.base_url + "/web/session/authenticate",
            headers=self.headers,
            timeout=120,
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"db": database, "login": login, "password": password},
            },
        )
        result = response.json().get("result") if response.ok else None
        if not result or not result.get("uid"):
            raise RuntimeError(f"{login} could not log in: {response.text[:300]}")
        self.uid, self.user_context = result["uid"], result.get("user_context", {})
        return self.uid


def run_threads(workers, target, items):
    """``target(item)`` for each item of a shared queue, ``workers`` at a time."""
    work = queue.Queue()
    for item in items:
        work.put(item)
    failures = []

    def worker():
        while True:
            try:
                item = work.get_nowait()
            except queue.Empty:
                return
            try:
                target(item)
            except TimeoutError:
                return
            except Exception as error:  # reported as a failed check
                failures.append(repr(error))

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


# -- /klacht
UNAVAILABLE_PAGE = 'id="complaint_unavailable"'  # models/complaint_intake_outage.py
UNAVAILABLE_STATIC = 'id="complaint_unavailable_static"'  # static/outage/klacht.html


def phase_klacht(server, stats, deadline, total, clients, restarter=None):
    """``total`` submissions, in rounds of one per address (``clients`` addresses)
    in a shuffled order, sent by ``clients`` threads that take the next submission
    from one queue: an address is often in two workers at the same moment.

    With a ``restarter`` (``--restart-db``) PostgreSQL restarts on the way, and the
    clients do what the citizen's page tells them: a form that does not load is
    loaded again, a submission that fails is sent again (up to three more times,
    each try with a subject of its own, so that each one can be found).

    :return: per try ``(address, what, reference or status)``; the failures of the
        clients; per try a dict with its subject, answer and time.
    """
    addresses = KLACHT_ADDRESSES[:clients]
    rng = random.Random(15)
    plan = []
    for first in range(0, total, len(addresses)):
        batch = addresses[: min(len(addresses), total - first)]
        plan += list(enumerate(rng.sample(batch, len(batch)), start=first))
    outcomes, tries = [], []
    lock = threading.Lock()
    tries_per_submission = 4 if restarter else 1

    def form_token(client):
        for _attempt in range(60 if restarter else 1):
            page = client.request("GET /klacht", "GET", "/klacht")
            token = re.search(
                r'name="csrf_token" value="([^"]+)"', page.text if page else ""
            )
            if token:
                return token.group(1)
            time.sleep(0.5)  # the citizen loads the page again
        raise RuntimeError(f"no form at /klacht: {page and page.status_code}")

    def submit(item):
        number, address = item
        if restarter:
            restarter.reached(number)
        for attempt in range(1, tries_per_submission + 1):
            client = Client(server.url, stats, deadline, address)
            token = form_token(client)
            subject = f"Load-test klacht {number}" + (
                f" poging {attempt}" if restarter else ""
            )
            what, value, status = send(client, number, token, subject)
            with lock:
                outcomes.append((address, what, value))
                tries.append(
                    {
                        "address": address,
                        "subject": subject,
                        "what": what,
                        "value": value,
                        "status": status,
                        "ended": time.monotonic(),
                    }
                )
            if what in ("accepted", "limited"):
                return
            time.sleep(1 + rng.random())  # "try again in a minute", sped up

    def send(client, number, token, subject):
        files = (
            [("attachments", ("brief.pdf", PDF, "application/pdf"))]
            if number % 3 == 0
            else [("attachments", ("", b""))]
        )
        start = time.perf_counter()
        try:
            response = client.session.post(
                server.url + "/klacht",
                headers=client.headers,
                timeout=120,
                files=files,
                data={
                    "csrf_token": token,
                    "name": f"Burger load {number}",
                    "email": f"burger.load.{number}@example.com",
                    "phone": "",
                    "subject": subject,
                    "description": "Niemand belde terug over mijn aanvraag.",
                    "privacy_accepted": "1",
                },
            )
        except requests.RequestException as error:
            if not restarter:
                raise
            stats.record(
                "POST /klacht failed",
                time.perf_counter() - start,
                "exception",
                repr(error),
            )
            return "no answer", repr(error), None
        elapsed = time.perf_counter() - start
        route, outcome = submission_outcome(response, bool(restarter))
        stats.record(
            route,
            elapsed,
            response.status_code,
            f"{response.status_code} on POST /klacht"
            if response.status_code >= 500
            else None,
        )
        return (*outcome, response.status_code)

    failures = run_threads(clients, submit, plan)
    if restarter:
        restarter.join()
    return outcomes, failures, tries


def submission_outcome(response, restarting):
    """The route and the ``(what, reference or status)`` of a POST /klacht."""
    reference = re.search(r'id="complaint_reference"[^>]*>([^<]+)<', response.text)
    if response.status_code == 200 and reference:
        return "POST /klacht accepted", ("accepted", reference.group(1).strip())
    if (
        response.status_code == 400
        and "several complaints from your address" in response.text
    ):
        return "POST /klacht refused", ("limited", None)
    if response.status_code == 503 and UNAVAILABLE_PAGE in response.text:
        return "POST /klacht failed", ("unavailable", 503)
    if response.status_code == 503 and UNAVAILABLE_STATIC in response.text:
        return "POST /klacht failed", ("unavailable (proxy)", 503)
    if restarting:
        return "POST /klacht failed", (
            "error",
            f"{response.status_code}: {response.text[:200]!r}",
        )
    return "POST /klacht refused", ("other", response.status_code)


class DatabaseRestarter:
    """Restarts PostgreSQL (``dev/harness.sh pg-restart``) when the submissions
    reach given numbers, in the background, and remembers when it was down."""

    def __init__(self, total, restarts, mode):
        self.points = [total * (i + 1) // (restarts + 1) for i in range(restarts)]
        self.mode = mode
        self.windows = []  # (started, ended) on the monotonic clock
        # the server's own restarts by its supervisor (Server.windows)
        self.server_windows = []
        self.lock = threading.Lock()
        self.threads = []
        self.failures = []

    def reached(self, number):
        with self.lock:
            if not (self.points and number >= self.points[0]):
                return
            self.points.pop(0)
            thread = threading.Thread(target=self.restart)
            self.threads.append(thread)
            thread.start()

    def restart(self):
        started = time.monotonic()
        done = subprocess.run(
            [str(ROOT / "dev" / "harness.sh"), "pg-restart", self.mode],
            capture_output=True,
            text=True,
            check=False,
        )
        ended = time.monotonic()
        with self.lock:
            self.windows.append((started, ended))
            if done.returncode:
                self.failures.append(done.stderr.strip()[-300:])
        say(f"PostgreSQL restarted ({self.mode}) in {ended - started:.1f} s")

    def join(self):
        for thread in self.threads:
            thread.join()

    def overlaps(self, started, ended, grace=2.0):
        """Whether a request that ran from ``started`` to ``ended`` met a restart
        (of the database, or of the server by its supervisor)."""
        return any(
            started <= until + grace and ended >= since
            for since, until in self.windows + self.server_windows
        )


# -- portal
def phase_portal(server, stats, deadline, database, users, reads, workers):
    rng = random.Random(16)
    clients = {}
    for login in users:
        client = Client(server.url, stats, deadline)
        client.login(database, login)
        # the portal answers in the user's language, under its prefix (/nl/...): the
        # address a person's browser ends up at
        response = client.session.get(
            server.url + "/my/complaints",
            headers=client.headers,
            timeout=120,
            allow_redirects=False,
        )
        location = response.headers.get("Location", "")
        client.prefix = (
            location.split("/my/complaints")[0].split(FORWARDED_HOST)[-1]
            if response.is_redirect and location.endswith("/my/complaints")
            else ""
        )
        clients[login] = client
    seen = []  # (uid, case ids on the page)
    lock = threading.Lock()
    pages = (
        ["?filterby=open"] * 4
        + ["?filterby=all"] * 3
        + ["?filterby=closed"] * 2
        + ["/page/2?filterby=all"]
    )
    plan = [(users[i % len(users)], rng.choice(pages)) for i in range(reads)]
    # one thread per user at a time: a person reads one page after the other
    by_user = defaultdict(list)
    for login, page in plan:
        by_user[login].append(page)

    def read_pages(login):
        client = clients[login]
        for page in by_user[login]:
            response = client.request(
                "portal /my/complaints", "GET", f"{client.prefix}/my/complaints{page}"
            )
            if response is not None and response.status_code != 200:
                raise RuntimeError(f"/my/complaints answered {response.status_code}")
            if response is not None:
                ids = {
                    int(i)
                    for i in re.findall(
                        r'href="[^"]*/my/complaints/(\d+)', response.text
                    )
                }
                with lock:
                    seen.append((client.uid, ids))

    failures = run_threads(workers, read_pages, list(by_user))
    return clients, seen, failures


# -- kanban
def kanban_request(client, action_xmlid):
    """What the web client asks for when it opens the action's kanban: the view's
    fields (and the dependencies of their widgets), its progress bar, its group-by,
    and the action's domain with the default filters of the search view."""
    from odoo.tools.safe_eval import safe_eval

    action = client.request(
        "load",
        "POST",
        "/web/action/load",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"action_id": action_xmlid},
        },
    ).json()["result"]
    search_view = action.get("search_view_id") or False
    if isinstance(search_view, list):
        search_view = search_view[0]
    views = client.call(
        "load",
        action["res_model"],
        "get_views",
        [],
        {"views": [[False, "kanban"], [search_view, "search"]], "options": {}},
    )
    fields = views["models"][action["res_model"]]["fields"]
    kanban = ElementTree.fromstring(views["views"]["kanban"]["arch"])
    search = ElementTree.fromstring(views["views"]["search"]["arch"])
    eval_context = {"uid": client.uid, "context_today": date.today}
    context = safe_eval(action.get("context") or "{}", eval_context)
    domain = safe_eval(action["domain"], eval_context) if action.get("domain") else []
    groupby = [kanban.get("default_group_by")] if kanban.get("default_group_by") else []
    for node in search.iter("filter"):
        if context.get(f"search_default_{node.get('name')}"):
            if node.get("domain"):
                domain = (
                    ["&", *domain, *safe_eval(node.get("domain"), eval_context)]
                    if domain
                    else safe_eval(node.get("domain"), eval_context)
                )
            group = safe_eval(node.get("context") or "{}", eval_context).get("group_by")
            if group:
                groupby = [group]
    dependencies = {
        "kanban_activity": [
            "activity_exception_decoration",
            "activity_exception_icon",
            "activity_state",
            "activity_summary",
            "activity_type_icon",
            "activity_type_id",
        ],
    }
    names = [node.get("name") for node in kanban.iter("field")]
    for node in kanban.iter("field"):
        names += dependencies.get(node.get("widget"), [])
    if kanban.get("highlight_color"):
        names.append(kanban.get("highlight_color"))
    spec = {}
    for name in dict.fromkeys(names):
        kind = fields.get(name, {}).get("type")
        spec[name] = {"fields": {"display_name": {}}} if kind == "many2one" else {}
    groupby_spec = {}
    for node in kanban.iter("field"):
        options = node.get("options")
        if (
            groupby
            and node.get("name") == groupby[0]
            and options
            and "group_by_tooltip" in options
        ):
            tooltip = json.loads(options)["group_by_tooltip"]
            groupby_spec[groupby[0]] = {name: {} for name in tooltip}
    progressbar = kanban.find("progressbar")
    return {
        "model": action["res_model"],
        "domain": domain,
        "groupby": groupby,
        "spec": spec,
        "groupby_spec": groupby_spec,
        "context": context,
        "progressbar": progressbar is not None
        and {
            "field": progressbar.get("field"),
            "colors": json.loads(progressbar.get("colors")),
        },
    }


def phase_kanban(server, stats, deadline, database, logins, reads):
    seen = []  # (uid, card ids)
    lock = threading.Lock()
    per_user = reads // len(logins)
    described = {}

    def staff(login):
        client = Client(server.url, stats, deadline)
        client.uid = client.login(database, login)
        view = kanban_request(client, f"{ADDON}.action_municipal_complaint")
        described.setdefault("view", view)
        context = {**client.user_context, **view["context"]}
        columns = []
        for number in range(per_user):
            if number % 2 == 0 or not columns:
                result = client.call(
                    "kanban open (web_read_group)",
                    view["model"],
                    "web_read_group",
                    [],
                    {
                        "domain": view["domain"],
                        "groupby": view["groupby"],
                        "aggregates": [],
                        "auto_unfold": True,
                        "unfold_read_specification": view["spec"],
                        "unfold_read_default_limit": KANBAN_LIMIT,
                        "groupby_read_specification": view["groupby_spec"],
                        "context": {**context, "read_group_expand": True},
                    },
                )
                if view["progressbar"]:
                    client.call(
                        "kanban progress bar",
                        view["model"],
                        "read_progress_bar",
                        [],
                        {
                            "domain": view["domain"],
                            "group_by": view["groupby"][0],
                            "progress_bar": view["progressbar"],
                            "context": context,
                        },
                    )
                if not result:
                    continue
                columns = [g for g in result["groups"] if g["__count"] > KANBAN_LIMIT]
                ids = {
                    r["id"] for g in result["groups"] for r in g.get("__records", [])
                }
            else:
                column = columns[number % len(columns)]
                domain = (
                    ["&", *column["__extra_domain"], *view["domain"]]
                    if view["domain"]
                    else column["__extra_domain"]
                )
                result = client.call(
                    "kanban load more (web_search_read)",
                    view["model"],
                    "web_search_read",
                    [],
                    {
                        "domain": domain,
                        "specification": view["spec"],
                        "offset": KANBAN_LIMIT,
                        "limit": KANBAN_LIMIT,
                        "context": context,
                    },
                )
                if not result:
                    continue
                ids = {r["id"] for r in result["records"]}
            with lock:
                seen.append((client.uid, ids))

    failures = run_threads(len(logins), staff, logins)
    return seen, failures, described.get("view")


# -- the cron
def phase_cron(server, stats, deadline, registry, database, admin, time_limit):
    from odoo import SUPERUSER_ID, api, sql_db

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cron = env.ref(f"{ADDON}.cron_deadline_warnings")
        due_before = env["municipal.complaint"]._count_deadline_warnings_due()
        cr.execute(
            "UPDATE ir_cron SET nextcall = (now() at time zone 'UTC')"
            " - interval '1 minute'"
            " WHERE id = %s",
            [cron.id],
        )
        cron_id, cron_name = cron.id, cron.name
    say(
        f"cron: {due_before:,} cases due a warning; waking both cron workers and "
        "pressing Run manually at the same moment"
    )
    start = time.perf_counter()
    manual = {}

    def run_manually():
        manual["result"] = admin.call(
            "cron: run manually", "ir.cron", "method_direct_trigger", [[cron_id]], {}
        )
        manual["seconds"] = time.perf_counter() - start

    thread = threading.Thread(target=run_manually)
    with sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT pg_notify('cron_trigger', %s)", [database])
    thread.start()
    ended = None
    while time.perf_counter() - start < time_limit:
        time.sleep(1)
        with registry.cursor() as cr:
            cr.execute(
                "SELECT id FROM ir_cron WHERE id = %s FOR UPDATE SKIP LOCKED", [cron_id]
            )
            free = bool(cr.fetchall())
            cr.execute(
                "SELECT nextcall > now() at time zone 'UTC' FROM ir_cron WHERE id = %s",
                [cron_id],
            )
            rescheduled = cr.fetchone()[0]
            env = api.Environment(cr, SUPERUSER_ID, {})
            left = env["municipal.complaint"]._count_deadline_warnings_due()
        if free and rescheduled and left == 0 and not thread.is_alive():
            ended = time.perf_counter() - start
            break
    thread.join(timeout=max(1, time_limit - (time.perf_counter() - start)))
    log = server.log.read_text(errors="replace")
    starts = len(
        re.findall(rf"Job '{re.escape(cron_name)}' \({cron_id}\) starting", log)
    ) + len(re.findall(rf"Starting job `{re.escape(cron_name)}`", log))
    return {
        "due_before": due_before,
        "left": left,
        "seconds": ended,
        "cron_id": cron_id,
        "manual": manual,
        "log_starts": starts,
    }


# ------------------------------------------------------------------ the checks
def run_checks(
    registry,
    outcomes,
    limit,
    portal_seen,
    kanban_seen,
    probes,
    cron,
    stats,
    restarter=None,
    tries=(),
):
    checks = []

    def check(name, ok, detail=""):
        checks.append((name, bool(ok), detail))

    # with --restart-db, a request that met a restart may fail (its own checks below)
    met_restart = [
        request
        for request in stats.requests
        if restarter and restarter.overlaps(request[2], request[3])
    ]
    counted = [request for request in stats.requests if request not in met_restart]
    five = Counter(
        route
        for route, status, _started, _ended, _error in counted
        if status == "exception" or (isinstance(status, int) and status >= 500)
    )
    check(
        "no 5xx and no failed connection"
        + (" (outside the restarts)" if restarter else ""),
        not five,
        (", ".join(f"{route}: {n}" for route, n in five.items()) or "none")
        + (f"; {len(met_restart)} requests met a restart" if restarter else ""),
    )
    app_errors = defaultdict(list)
    for route, _status, _started, _ended, error in counted:
        # Odoo refuses "Run manually" of a job a cron worker is running: the job
        # runs, once (the cron checks below)
        if error and not (
            route == "cron: run manually" and "already executing" in str(error)
        ):
            app_errors[route].append(error)
    check(
        "no error answered to a JSON-RPC call"
        + (" (outside the restarts)" if restarter else ""),
        not app_errors,
        "; ".join(f"{route}: {errors[:2]}" for route, errors in app_errors.items())
        or "none",
    )

    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        accepted = [ref for _address, what, ref in outcomes if what == "accepted"]
        others = [ref for _address, what, ref in outcomes if what == "other"]
        check(
            "every submission accepted or refused for the limit",
            not others,
            f"{len(others)} other answers: {Counter(others)}" if others else "",
        )
        if restarter:
            checks.extend(restart_checks(cr, restarter, tries))
        cr.execute(
            "SELECT name, count(*) FROM municipal_complaint WHERE name = ANY(%s) "
            "GROUP BY name",
            [accepted],
        )
        stored = dict(cr.fetchall())
        cr.execute(
            "SELECT count(*) FROM municipal_complaint WHERE channel = 'web_form' "
            "AND subject LIKE 'Load-test klacht %%'"
        )
        web_cases = cr.fetchone()[0]
        check(
            "every accepted submission stored exactly once, references unique",
            len(set(accepted)) == len(accepted)
            and all(stored.get(r) == 1 for r in accepted)
            and web_cases == len(accepted),
            f"{len(accepted)} accepted, {len(set(accepted))} distinct references, "
            f"{sum(1 for r in accepted if stored.get(r) == 1)} stored once, "
            f"{web_cases} load-test cases in the database",
        )
        Submission = env["municipal.complaint.intake.submission"]
        by_client = defaultdict(list)
        for address, what, _ref in outcomes:
            by_client[Submission._client_key(address)].append(what)
        cr.execute(
            "SELECT client_key, count(*) FROM municipal_complaint_intake_submission "
            "GROUP BY client_key"
        )
        counted = dict(cr.fetchall())
        wrong = {
            key[:8]: (whats.count("accepted"), len(whats), counted.get(key, 0))
            for key, whats in by_client.items()
            if whats.count("accepted")
            != min(limit, sum(what in ("accepted", "limited") for what in whats))
            or counted.get(key, 0) != whats.count("accepted")
        }
        check(
            f"the limit of {limit} per address per hour exact across workers",
            not wrong,
            f"{len(by_client)} clients (one IPv6 /64 sent from two addresses), "
            f"each accepted min({limit}, sent)"
            + (f"; wrong (accepted, sent, counted): {wrong}" if wrong else ""),
        )

        # who may read what: the record rules, restated in SQL
        cr.execute("""SELECT u.id, u.login, p.id, p.commercial_partner_id
                        FROM res_users u
                        JOIN res_partner p ON p.id = u.partner_id
                       WHERE u.login LIKE 'load\\_%%'""")
        people = {
            uid: (login, partner, commercial)
            for uid, login, partner, commercial in cr.fetchall()
        }

        def allowed(uid, ids):
            login, partner, commercial = people[uid]
            if login.startswith("load_coordinator"):
                return set(ids)  # all cases of their company: the only company here
            if login.startswith("load_employee"):
                cr.execute(
                    """SELECT c.id FROM municipal_complaint c
                   WHERE c.id = ANY(%s)
                     AND (c.create_uid = %s OR c.user_id = %s
                                  OR EXISTS (SELECT 1 FROM mail_followers f
                                              WHERE f.res_model = 'municipal.complaint'
                                    AND f.res_id = c.id AND f.partner_id = %s))""",
                    [list(ids), uid, uid, partner],
                )
            else:  # portal: referred to their organisation, or their own complaint
                cr.execute(
                    """SELECT c.id FROM municipal_complaint c
                               WHERE c.id = ANY(%s) AND (
                        c.referral_partner_id IN (SELECT id FROM res_partner
                                                   WHERE commercial_partner_id = %s)
                                  OR c.partner_id IN (SELECT id FROM res_partner
                                          WHERE id = %s OR parent_id = %s))""",
                    [list(ids), commercial, partner, partner],
                )
            return {row[0] for row in cr.fetchall()}

        rng = random.Random(17)
        leaks = []
        sampled = 0
        for uid, ids in rng.sample(
            portal_seen, min(300, len(portal_seen))
        ) + rng.sample(kanban_seen, min(300, len(kanban_seen))):
            if ids:
                sampled += 1
                extra = set(ids) - allowed(uid, ids)
                if extra:
                    leaks.append((uid, sorted(extra)[:5]))
        check(
            "no case shown that the user may not read (sampled pages)",
            not leaks and sampled,
            f"{sampled} pages checked"
            + (f"; shown without right: {leaks[:5]}" if leaks else ""),
        )
        opened = [p for p in probes if p[1] != 404]
        check(
            "another's case asked for by id: not found",
            not opened,
            f"{len(probes)} asked, answers {Counter(code for _i, code in probes)}",
        )

        kinds = [
            env.ref(x).id
            for x in (
                "municipal_complaint.mail_activity_type_contact_deadline",
                "municipal_complaint.mail_activity_type_legal_deadline",
            )
        ]
        cr.execute(
            """SELECT count(*) FROM (SELECT res_id, activity_type_id, user_id
                        FROM mail_activity
                       WHERE res_model = 'municipal.complaint'
                         AND activity_type_id = ANY(%s)
                       GROUP BY 1, 2, 3 HAVING count(*) > 1) d""",
            [kinds],
        )
        duplicates = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM mail_activity "
            "WHERE res_model = 'municipal.complaint' "
            "AND activity_type_id = ANY(%s)",
            [kinds],
        )
        activities = cr.fetchone()[0]
        check(
            "the warning cron: no duplicate warning activity",
            duplicates == 0,
            f"{activities:,} warning activities, {duplicates} people warned twice "
            "of one deadline of a case",
        )
        check(
            "the warning cron: every due case warned, in time",
            cron["left"] == 0 and cron["seconds"] is not None,
            f"{cron['due_before']:,} due before, {cron['left']:,} left"
            + (
                f", done in {cron['seconds']:.0f} s"
                if cron["seconds"]
                else ", not finished"
            ),
        )
    return checks


def restart_checks(cr, restarter, tries):
    """What a restart of PostgreSQL under /klacht may and may not do."""
    checks = []

    def check(name, ok, detail=""):
        checks.append((name, bool(ok), detail))

    check(
        f"PostgreSQL restarted {len(restarter.windows)} times while citizens sent "
        "the form",
        restarter.windows and not restarter.failures and not restarter.points,
        ", ".join(f"{until - since:.1f} s" for since, until in restarter.windows)
        + (f"; failed: {restarter.failures}" if restarter.failures else ""),
    )
    failed = [t for t in tries if t["what"] not in ("accepted", "limited")]
    cr.execute(
        "SELECT subject FROM municipal_complaint WHERE subject = ANY(%s)",
        [[t["subject"] for t in failed]],
    )
    stored = [row[0] for row in cr.fetchall()]
    check(
        "no submission that got an error is stored",
        not stored,
        f"{len(failed)} tries failed"
        + (f"; stored all the same: {stored[:5]}" if stored else ""),
    )
    kinds = Counter(t["what"] for t in failed)
    strange = [
        t["value"]
        for t in failed
        if t["what"] not in ("unavailable", "unavailable (proxy)")
    ]
    check(
        "every failed submission got a page that says to send it again",
        failed and not strange,
        f"{dict(kinds)} (the addon's page for a request in flight; the proxy's "
        "static page for one that found the database down)"
        + (f"; other answers: {strange[:3]}" if strange else ""),
    )
    last = max((until for _since, until in restarter.windows), default=0)
    after = [t for t in tries if t["what"] == "accepted" and t["ended"] > last + 2]
    check(
        "the workers reconnected: submissions accepted after the last restart",
        after,
        f"{len(after)} accepted after it; every later request is in the checks above",
    )
    return checks


# ------------------------------------------------------------------ the report
def report(stats, server_log, checks, args, started_load):
    from_log = server_times(server_log)
    print()
    print(
        f"{'route':38} {'n':>6} {'err':>4} {'req/s':>7} {'client p50':>11} {'p95':>8} "
        f"{'server p50':>11} {'p95':>8}"
    )
    routes = [r for r in stats.times if r not in ("load",)]
    for route in sorted(
        routes,
        key=lambda r: (
            list(stats.phases).index(phase_of(r)) if phase_of(r) in stats.phases else 99
        ),
    ):
        times = stats.times[route]
        phase = stats.phases.get(phase_of(route))
        errors = sum(
            n
            for code, n in stats.statuses[route].items()
            if code == "exception" or (isinstance(code, int) and code >= 500)
        )
        errors += len(stats.errors[route])
        rate = len(times) / phase if phase else float("nan")
        server = from_log.get(route, [])
        print(
            f"{route:38} {len(times):6d} {errors:4d} {rate:7.1f} "
            f"{1000 * statistics.median(times):9.0f}ms "
            f"{1000 * percentile(times, 0.95):6.0f}ms "
            f"{1000 * statistics.median(server) if server else float('nan'):9.0f}ms "
            f"{1000 * percentile(server, 0.95):6.0f}ms"
        )
    print()
    missed = []
    for route, (measure, limit, what) in TARGETS.items():
        values = (
            from_log.get(route, [])
            if measure.startswith("server")
            else stats.times[route]
        )
        value = percentile(values, 0.95)
        ok = value < limit
        missed += [] if ok else [what]
        print(
            f"target {what:28} {measure} {1000 * value:6.0f} ms  "
            f"(< {1000 * limit:.0f} ms) "
            f"{'met' if ok else 'MISSED'}"
        )
    print()
    for name, ok, detail in checks:
        print(
            f"check  {'ok  ' if ok else 'FAIL'} {name}"
            + (f": {detail}" if detail else "")
        )
    print()
    load1, load5, load15 = os.getloadavg()
    say(
        f"{date.today()}, {args.cases:,} cases ({args.open:,} open), load average "
        f"{started_load[0]:.2f} at the start, "
        f"{load1:.2f} {load5:.2f} {load15:.2f} at the end; "
        f"server log: {server_log}"
    )
    return missed


def phase_of(route):
    if "klacht" in route:
        return "klacht"
    if "portal" in route:
        return "portal"
    if "kanban" in route:
        return "kanban"
    return "cron"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--small",
        action="store_true",
        help="5,000 cases (1,000 open) instead of 200,000 (40,000 open)",
    )
    parser.add_argument("--cases", type=int)
    parser.add_argument("--open", type=int)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--klacht-clients", type=int, default=20)
    parser.add_argument("--portal-reads", type=int, default=2000)
    parser.add_argument(
        "--portal-clients",
        type=int,
        default=10,
        help="portal users reading at the same moment",
    )
    parser.add_argument("--kanban-reads", type=int, default=2000)
    parser.add_argument(
        "--time-limit",
        type=int,
        default=1800,
        help="seconds for the requests and the cron, after the database is ready",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the template database"
    )
    parser.add_argument(
        "--fresh-sequence",
        action="store_true",
        help="remove the company's reference sequence first, as in a database that "
        "never registered a case: the first submissions create it at the same moment",
    )
    parser.add_argument(
        "--restart-db",
        nargs="?",
        type=int,
        const=1,
        default=0,
        metavar="N",
        help="restart the embedded PostgreSQL N times (1 without N) while the "
        "citizens send /klacht: what was answered with a reference is stored once, "
        "what failed is not stored and got the page that says to send it again",
    )
    parser.add_argument(
        "--restart-mode",
        choices=("fast", "immediate"),
        default="fast",
        help="how PostgreSQL restarts: fast (disconnects, rolls back) or immediate "
        "(as after a crash)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the run's database copy"
    )
    parser.add_argument(
        "--strict", action="store_true", help="a missed target fails too"
    )
    args = parser.parse_args()
    args.cases = args.cases or (5_000 if args.small else 200_000)
    args.open = args.open or args.cases // 5
    args.klacht_clients = min(args.klacht_clients, len(KLACHT_ADDRESSES))

    fig.ensure_postgres()
    port = fig.free_port()
    config = BUILD / "odoo-load.conf"
    fig.write_config(config, port)
    template = ensure_template(config, args)
    database = f"complaints_load_run_{args.cases}"
    copy_database(template, database)
    if args.fresh_sequence:
        # as in a database that never registered a case this year: without the
        # template's first case (KL/<year>/0001) and without the sequence
        psql(
            database,
            "DELETE FROM municipal_complaint WHERE name LIKE "
            "'KL/' || extract(year FROM now())::text || '/%'; "
            "DELETE FROM ir_sequence WHERE code = 'municipal.complaint'",
        )
    if not args.keep:
        atexit.register(
            lambda: (
                subprocess.run(["dropdb", "--if-exists", database], check=False),
                shutil.rmtree(
                    BUILD / "data" / "filestore" / database, ignore_errors=True
                ),
            )
        )

    started_load = os.getloadavg()
    registry = open_registry(config, database)
    atexit.register(close_registry, database)
    limit = int(
        psql(
            database,
            "SELECT complaint_intake_rate_limit FROM res_company ORDER BY id LIMIT 1",
        )
    )
    logins = psql(
        database,
        "SELECT string_agg(login, ' ' ORDER BY id) FROM res_users "
        "WHERE login LIKE 'load\\_%'",
    ).split()
    staff = [x for x in logins if x.startswith(("load_coordinator", "load_employee"))]
    portal_users = [x for x in logins if x.startswith(("load_partner", "load_citizen"))]

    log = BUILD / "logs" / "load-server.log"
    say(
        f"starting Odoo: 4 workers, 2 cron workers, proxy_mode, on {database} "
        f"(log: {log})"
    )
    # with --restart-db, Odoo's master may stop while PostgreSQL is away: it is
    # started again as systemd does in production
    server = Server(config, database, port, log, supervise=bool(args.restart_db))
    deadline = time.monotonic() + args.time_limit
    stats = Stats()
    failures = []
    restarter = (
        DatabaseRestarter(args.submissions, args.restart_db, args.restart_mode)
        if args.restart_db
        else None
    )
    if restarter:
        restarter.server_windows = server.windows
    try:
        say(
            f"/klacht: {args.submissions} submissions from "
            f"{args.klacht_clients} clients at once"
            + (
                f", PostgreSQL restarted {args.restart_db} times on the way"
                if restarter
                else ""
            )
        )
        start = time.perf_counter()
        # with restarts, the citizens reach Odoo through the proxy, as in production
        outcomes, failed, tries = phase_klacht(
            KlachtProxy(server.url) if restarter else server,
            stats,
            deadline,
            args.submissions,
            args.klacht_clients,
            restarter,
        )
        stats.phases["klacht"] = time.perf_counter() - start
        failures += failed
        if restarter:
            # the restarts are over: the next phases measure a server that runs
            server.wait_until_up()

        say(
            f"/my/complaints: {args.portal_reads} pages by "
            f"{len(portal_users)} portal users, "
            f"{args.portal_clients} at once"
        )
        start = time.perf_counter()
        clients, portal_seen, failed = phase_portal(
            server,
            stats,
            deadline,
            database,
            portal_users,
            args.portal_reads,
            args.portal_clients,
        )
        stats.phases["portal"] = time.perf_counter() - start
        failures += failed
        # other people's cases, asked for by id
        probes = []
        with registry.cursor() as cr:
            for client in list(clients.values())[:: max(1, len(clients) // 20)]:
                cr.execute(
                    """SELECT c.id FROM municipal_complaint c
                     WHERE c.partner_id IS DISTINCT FROM
                           (SELECT partner_id FROM res_users WHERE id = %s)
                       AND c.referral_partner_id IS DISTINCT FROM
                           (SELECT p.commercial_partner_id
                              FROM res_users u
                              JOIN res_partner p ON p.id = u.partner_id
                                     WHERE u.id = %s)
                               ORDER BY random() LIMIT 2""",
                    [client.uid, client.uid],
                )
                for (case_id,) in cr.fetchall():
                    response = client.request(
                        "portal: another's case",
                        "GET",
                        f"{client.prefix}/my/complaints/{case_id}",
                    )
                    probes.append(
                        (
                            case_id,
                            response.status_code if response is not None else None,
                        )
                    )

        say(f"kanban: {args.kanban_reads} reads by {len(staff)} staff users at once")
        start = time.perf_counter()
        kanban_seen, failed, view = phase_kanban(
            server, stats, deadline, database, staff, args.kanban_reads
        )
        stats.phases["kanban"] = time.perf_counter() - start
        failures += failed
        if view:
            say(
                f"  as the web client asks: groupby {view['groupby']}, "
                f"domain {view['domain']}, "
                f"fields {sorted(view['spec'])}"
            )

        admin = Client(server.url, stats, deadline)
        admin.login(database, "admin", "admin")
        start = time.perf_counter()
        cron = phase_cron(
            server,
            stats,
            deadline,
            registry,
            database,
            admin,
            max(60, deadline - time.monotonic()),
        )
        stats.phases["cron"] = time.perf_counter() - start
        manual = cron["manual"].get("result")
        say(
            f"cron: run manually answered {json.dumps(manual)[:160]}; "
            f"cron starts in the log: {cron['log_starts']}"
        )
        running = server.process.poll() is None
    finally:
        server.stop()
    if failures:
        say(f"client failures: {failures[:5]}")
    checks = run_checks(
        registry,
        outcomes,
        limit,
        portal_seen,
        kanban_seen,
        probes,
        cron,
        stats,
        restarter=restarter,
        tries=tries,
    )
    if args.restart_db:
        checks.insert(
            0,
            (
                "the server ran to the end, started again by its supervisor when it "
                "stopped while PostgreSQL was away",
                running,
                f"{server.restarts} restarts",
            ),
        )
    else:
        checks.insert(0, ("the server ran to the end", running, ""))
    checks.insert(
        0, ("the clients ran without failure", not failures, "; ".join(failures[:3]))
    )
    missed = report(stats, log, checks, args, started_load)
    failed_checks = [name for name, ok, _detail in checks if not ok]
    if failed_checks or (args.strict and missed):
        say(
            "FAILED: "
            + ", ".join(failed_checks + ([f"targets: {missed}"] if args.strict else []))
        )
        sys.exit(1)
    say(
        "all checks hold" + (f"; targets missed: {', '.join(missed)}" if missed else "")
    )


if __name__ == "__main__":
    main()
