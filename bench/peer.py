#!/usr/bin/env python3
"""Side by side with the OCA peer: municipal_complaint against helpdesk_mgmt.

Builds (once, then reuses) a database with this addon and OCA ``helpdesk_mgmt``
19.0, fills both to the same volume with bulk SQL (200,000 records each by
default, 40,000 open, the same spread over stages, 20 handlers, 7 categories),
then runs the calls the web client makes for each addon, in turns, and prints
the medians, the ratio ours / peer and the load average:

- kanban open: ``web_read_group`` grouped by stage with the kanban's auto-unfold
  and the fields its kanban view asks for, then ``read_progress_bar``;
- kanban groups only (``web_read_group`` without unfolding);
- list page of 80 with its count (``web_search_read`` with ``count_limit``);
- the list's default text search (the search view's first field);
- create 1,000 in one batch, and a single create from the form (``web_save``);
- the portal list page (``/my/complaints`` against ``/my/tickets``) over HTTP.

Run it from the repository root (``make bench-peer`` installs the peer's wheel
first; see bench/README.md):

    .venv/bin/python bench/peer.py                 # 200,000 records each
    .venv/bin/python bench/peer.py --size 5000     # a quick run

The database is named after its size (``complaints_peer_<size>``) and kept:
a second run only updates this addon in it (``--rebuild`` starts again).
Everything the timed calls write is rolled back.
"""

# A command-line tool run outside Odoo, not part of the addon: it prints its results,
# and commits what it generates in its own throwaway database.
# pylint: disable=print-used,invalid-commit

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date
from http.cookiejar import CookieJar
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figures  # noqa: E402  (this addon's generator and the harness helpers)
from figures import ADDON, BUILD, ODOO_PATH, say  # noqa: E402

PEER = "helpdesk_mgmt"
PEER_VERSION = "19.0.1.3.2"
HANDLERS = 20
PORTAL_CASES = 60  # cases (and tickets) of the portal user, a third of them open
SEARCH_TERM = "case 4242"
FILLED_KEY = "bench_peer.filled"

# Open stages by kanban position: each addon's open stages get the open cases in
# these shares; the closed cases all go to the first closing stage.
OPEN_SHARES = (0.4, 0.3, 0.2, 0.1)
OUR_OPEN_STAGES = (
    "stage_received",
    "stage_contacted",
    "stage_in_progress",
    "stage_referred",
)
# helpdesk has three open stages: its third takes the shares of our third and fourth
PEER_OPEN_STAGES = (
    "helpdesk_ticket_stage_new",
    "helpdesk_ticket_stage_in_progress",
    "helpdesk_ticket_stage_awaiting",
    "helpdesk_ticket_stage_awaiting",
)
PEER_CHANNELS = {
    "phone": "helpdesk_ticket_channel_phone",
    "in_person": "helpdesk_ticket_channel_other",
    "email": "helpdesk_ticket_channel_email",
    "web_form": "helpdesk_ticket_channel_web",
    "letter": "helpdesk_ticket_channel_other",
    "social_media": "helpdesk_ticket_channel_other",
}

# The two addons' entry points: model, action, the portal list and the values a user
# fills in the form.
SIDES = {
    "ours": {
        "model": "municipal.complaint",
        "action": f"{ADDON}.action_municipal_complaint",
        "portal": "/my/complaints?filterby=all",
    },
    "peer": {
        "model": "helpdesk.ticket",
        "action": f"{PEER}.helpdesk_ticket_action",
        "portal": "/my/tickets",
    },
}


# ------------------------------------------------------------------------ database
def database_ready(database, size):
    query = f"SELECT value FROM ir_config_parameter WHERE key = '{FILLED_KEY}'"
    result = subprocess.run(
        ["psql", "-XtAc", query, database], capture_output=True, text=True, check=False
    )
    return result.returncode == 0 and result.stdout.strip() == str(size)


def install(config, database):
    subprocess.run(["dropdb", "--if-exists", database], check=True)
    shutil.rmtree(BUILD / "data" / "filestore" / database, ignore_errors=True)
    say(f"installing {ADDON} and {PEER} into a fresh database {database}")
    log = BUILD / "logs" / "bench-peer-install.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    figures.odoo_bin(
        "-c", config, "-d", database, "-i", f"{ADDON},{PEER}",
        "--load-language", "nl_NL", "--stop-after-init", "--no-http", "--logfile", log,
    )  # fmt: skip


def update(config, database):
    say(f"updating {ADDON} in {database}")
    log = BUILD / "logs" / "bench-peer-update.log"
    figures.odoo_bin(
        "-c", config, "-d", database, "-u", ADDON,
        "--stop-after-init", "--no-http", "--logfile", log,
    )  # fmt: skip


# --------------------------------------------------------------------------- filling
def make_users(env):
    """The handlers, the user who works in both addons, and the portal citizen."""
    ref = env.ref
    Users = env["res.users"].with_context(no_reset_password=True)
    staff_groups = [
        ref(f"{ADDON}.group_complaint_user").id,
        ref(f"{PEER}.group_helpdesk_user_own").id,
    ]
    handlers = Users.create(
        [
            {
                "name": f"Behandelaar {n:02d}",
                "login": f"bench_handler_{n:02d}",
                "email": f"handler{n:02d}@example.com",
                "group_ids": [(6, 0, staff_groups)],
            }
            for n in range(1, HANDLERS + 1)
        ]
    )
    lead = Users.create(
        {
            "name": "Bench Coördinator",
            "login": "bench_lead",
            "password": "bench_lead",
            "email": "lead@example.com",
            "lang": "nl_NL",
            "tz": "Europe/Amsterdam",
            "group_ids": [
                (
                    6,
                    0,
                    [
                        ref(f"{ADDON}.group_complaint_coordinator").id,
                        ref(f"{PEER}.group_helpdesk_manager").id,
                    ],
                )
            ],
        }
    )
    citizen = Users.create(
        {
            "name": "Bench Burger",
            "login": "bench_citizen",
            "password": "bench_citizen",
            "email": "citizen@example.com",
            "group_ids": [(6, 0, [ref("base.group_portal").id])],
        }
    )
    return handlers, lead, citizen


def make_partners(env, count):
    """Complainants (contacts with an e-mail address), in one INSERT."""
    cr = env.cr
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, email, email_normalized, lang,
                                 active, type, is_company, company_id,
                                 create_uid, write_uid, create_date, write_date)
        SELECT 'Klager ' || i, 'Klager ' || i, 'klager' || i || '@example.com',
               'klager' || i || '@example.com', 'nl_NL', TRUE, 'contact', FALSE, NULL,
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM generate_series(1, %s) AS i
        RETURNING id
        """,
        [count],
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids]
    )
    return ids


SHAPE_SQL = """
-- which cases are open: the newest ``open`` of them by a random key, the rest closed
WITH ranked AS (
    SELECT id, row_number() OVER (ORDER BY random()) AS n FROM municipal_complaint
), shaped AS (
    SELECT id, n <= %(open)s AS is_open,
           CURRENT_DATE - floor(random() * 70)::int AS open_received,
           random() AS r_stage, random() AS r_contact
      FROM ranked
)
UPDATE municipal_complaint m
   SET user_id = (%(handlers)s::int[])[1 + m.id %% %(n_handlers)s],
       partner_id = CASE WHEN m.id %% 10 = 0 THEN NULL
                         ELSE (%(partners)s::int[])[1 + m.id %% %(n_partners)s] END,
       description = '<p>Wat er gebeurde, in de woorden van de klager.</p>',
       received_date = CASE WHEN s.is_open THEN s.open_received
                            ELSE m.received_date END,
       received_year = CASE WHEN s.is_open THEN extract(year FROM s.open_received)::int
                            ELSE m.received_year END,
       contact_deadline = CASE WHEN s.is_open THEN s.open_received + 7
                               ELSE m.contact_deadline END,
       contact_date = CASE WHEN NOT s.is_open THEN m.contact_date
                           WHEN s.r_contact < 0.5 THEN NULL
                           ELSE LEAST(s.open_received + 2, CURRENT_DATE) END,
       legal_deadline = CASE WHEN m.kind <> 'complaint' THEN NULL
                             WHEN s.is_open THEN s.open_received + 42
                             ELSE m.legal_deadline END,
       closed_date = CASE WHEN s.is_open THEN NULL
                          ELSE COALESCE(m.closed_date,
                                        LEAST(m.received_date + 30, CURRENT_DATE)) END,
       handling = CASE WHEN s.is_open THEN NULL ELSE m.handling END,
       judgment = CASE WHEN s.is_open THEN NULL ELSE m.judgment END,
       resolution_note = CASE WHEN s.is_open THEN NULL ELSE m.resolution_note END,
       mediation_state = CASE WHEN m.mediation_state = 'ongoing' AND NOT s.is_open
                              THEN 'succeeded' ELSE m.mediation_state END,
       ombudsman_date = CASE WHEN s.is_open THEN NULL ELSE m.ombudsman_date END,
       ombudsman_initiator = CASE WHEN s.is_open THEN NULL
                                  ELSE m.ombudsman_initiator END,
       is_closed = NOT s.is_open,
       stage_id = CASE WHEN NOT s.is_open THEN %(stage_closed)s
                       WHEN s.r_stage < %(cut1)s THEN %(stage1)s
                       WHEN s.r_stage < %(cut2)s THEN %(stage2)s
                       WHEN s.r_stage < %(cut3)s THEN %(stage3)s
                       ELSE %(stage4)s END
  FROM shaped s
 WHERE s.id = m.id
"""

TERM_SQL = """
UPDATE municipal_complaint
   SET term_outcome = CASE
           WHEN kind <> 'complaint' OR legal_deadline IS NULL THEN NULL
           WHEN closed_date IS NOT NULL AND closed_date <= legal_deadline THEN 'within'
           WHEN ombudsman_date IS NOT NULL AND ombudsman_date <= legal_deadline
               THEN 'ombudsman'
           WHEN closed_date IS NULL AND mediation_state = 'ongoing' THEN 'mediation'
           WHEN closed_date IS NOT NULL OR CURRENT_DATE > legal_deadline THEN 'late'
           ELSE 'open' END,
       acknowledgment_date = received_date
"""

# helpdesk tickets: one per case, with the case's stage position, handler,
# complainant, category, channel, subject and dates
PEER_SQL = """
INSERT INTO helpdesk_ticket (
    number, name, description, user_id, stage_id, partner_id, commercial_partner_id,
    partner_name, partner_email, company_id, channel_id, category_id, priority, color,
    sequence, active, unattended, kanban_state, last_stage_update, assigned_date,
    closed_date, create_uid, write_uid, create_date, write_date
)
SELECT 'HT' || lpad(m.id::text, 7, '0'), m.subject, m.description, m.user_id,
       (%(stage_map)s::jsonb ->> m.stage_id::text)::int,
       m.partner_id, p.commercial_partner_id, p.name, p.email, m.company_id,
       (%(channel_map)s::jsonb ->> m.channel)::int,
       (%(category_map)s::jsonb ->> m.category_id::text)::int,
       '1', 0, 10, TRUE, m.stage_id = %(stage_first)s, 'normal',
       m.received_date::timestamp, m.received_date::timestamp,
       m.closed_date::timestamp, 1, 1,
       m.received_date::timestamp, m.received_date::timestamp
  FROM municipal_complaint m
  LEFT JOIN res_partner p ON p.id = m.partner_id
 ORDER BY m.id
"""


def fill(env, size, open_count):
    """Both addons to the same volume and spread; returns what the timed part needs."""
    cr, ref = env.cr, env.ref
    random.seed(42)
    handlers, lead, citizen = make_users(env)
    partner_ids = make_partners(env, max(size // 20, 50))
    today = date.today()
    years = 5
    start = time.perf_counter()
    figures.fill(env, size, years, today.year - years)
    cuts = [sum(OPEN_SHARES[: n + 1]) for n in range(len(OPEN_SHARES))]
    cr.execute("SELECT setseed(0.17)")
    cr.execute(
        SHAPE_SQL,
        {
            "open": open_count,
            "handlers": handlers.ids,
            "n_handlers": len(handlers),
            "partners": partner_ids,
            "n_partners": len(partner_ids),
            "stage_closed": ref(f"{ADDON}.stage_closed").id,
            **{
                f"stage{n + 1}": ref(f"{ADDON}.{xmlid}").id
                for n, xmlid in enumerate(OUR_OPEN_STAGES)
            },
            "cut1": cuts[0],
            "cut2": cuts[1],
            "cut3": cuts[2],
        },
    )
    cr.execute(TERM_SQL)
    # the portal citizen: the complainant of PORTAL_CASES cases, a third of them open
    cr.execute(
        """
        UPDATE municipal_complaint SET partner_id = %s
         WHERE id IN (
            (SELECT id FROM municipal_complaint WHERE closed_date IS NULL
              ORDER BY id LIMIT %s)
            UNION ALL
            (SELECT id FROM municipal_complaint WHERE closed_date IS NOT NULL
              ORDER BY id LIMIT %s))
        """,
        [citizen.partner_id.id, PORTAL_CASES // 3, PORTAL_CASES - PORTAL_CASES // 3],
    )
    say(f"filled {size:,} cases in {time.perf_counter() - start:.1f} s")

    # the peer: seven categories like ours, the same stage positions
    categories = env["municipal.complaint.category"].search([])
    peer_categories = env["helpdesk.ticket.category"].create(
        [{"name": category.name} for category in categories]
    )
    category_map = {
        str(ours.id): peer.id
        for ours, peer in zip(categories, peer_categories, strict=True)
    }
    stage_map = {
        str(ref(f"{ADDON}.{ours}").id): ref(f"{PEER}.{peer}").id
        for ours, peer in zip(OUR_OPEN_STAGES, PEER_OPEN_STAGES, strict=True)
    }
    stage_map[str(ref(f"{ADDON}.stage_closed").id)] = ref(
        f"{PEER}.helpdesk_ticket_stage_done"
    ).id
    channel_map = {
        channel: ref(f"{PEER}.{xmlid}").id for channel, xmlid in PEER_CHANNELS.items()
    }
    start = time.perf_counter()
    cr.execute(
        PEER_SQL,
        {
            "stage_map": json.dumps(stage_map),
            "channel_map": json.dumps(channel_map),
            "category_map": json.dumps(category_map),
            "stage_first": ref(f"{ADDON}.{OUR_OPEN_STAGES[0]}").id,
        },
    )
    say(f"filled {cr.rowcount:,} tickets in {time.perf_counter() - start:.1f} s")
    env["ir.config_parameter"].set_param(FILLED_KEY, str(size))
    return len(categories)


def vacuum(database):
    """What autovacuum does to a table that has been filled: statistics and the
    visibility map (index-only scans)."""
    for table in ("municipal_complaint", "helpdesk_ticket", "res_partner"):
        subprocess.run(
            ["psql", "-Xqc", f"VACUUM ANALYZE {table}", database], check=True
        )


# ---------------------------------------------------------------- web client calls
def field_spec(model, node, fields):
    """The read specification the web client sends for one ``<field>`` of a view."""
    name = node.get("name")
    field = fields[name]
    widget = node.get("widget")
    if field.type == "many2one":
        return {"fields": {"display_name": {}}}
    if field.type in ("one2many", "many2many"):
        if widget == "many2many_tags":
            options = node.get("options") or "{}"
            related = {"display_name": {}}
            for color in ("color_field",):
                if color in options:
                    related["color"] = {}
            return {"fields": related}
        return {}
    return {}


ACTIVITY_FIELDS = (
    "activity_exception_decoration",
    "activity_exception_icon",
    "activity_state",
    "activity_summary",
    "activity_type_icon",
)


def view_spec(env, model, view_type):
    """The fields a view of ``model`` asks for, as the web client's specification:
    every ``<field>`` of the arch (not those of sub-views), the fields its widgets
    depend on, and the kanban's highlight colour."""
    Model = env[model]
    arch = Model.get_views([(False, view_type)])["views"][view_type]["arch"]
    root = etree.fromstring(arch)
    fields = Model._fields
    spec = {}
    for node in root.iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        name = node.get("name")
        if name not in fields:
            continue
        spec[name] = field_spec(Model, node, fields)
        if node.get("widget") in ("kanban_activity", "list_activity"):
            spec.update({dep: {} for dep in ACTIVITY_FIELDS})
            spec["activity_type_id"] = {"fields": {"display_name": {}}}
    if root.get("highlight_color"):
        spec[root.get("highlight_color")] = {}
    progressbar = root.find("progressbar")
    return spec, root, progressbar


def search_defaults(env, model, action):
    """The domain the web client starts the action with: the action's domain and
    the filters the action's context switches on (``search_default_<name>``)."""
    from odoo.tools.safe_eval import datetime as safe_datetime
    from odoo.tools.safe_eval import safe_eval

    Model = env[model]
    eval_context = {
        "uid": env.uid,
        "context_today": lambda: date.today(),
        "datetime": safe_datetime,
    }
    domain = safe_eval(action.domain or "[]", eval_context)
    context = safe_eval(action.context or "{}", {**eval_context, "active_id": False})
    search_view = action.search_view_id.id or False
    arch = Model.get_views([(search_view, "search")])["views"]["search"]["arch"]
    root = etree.fromstring(arch)
    for node in root.iter("filter"):
        if context.get(f"search_default_{node.get('name')}") and node.get("domain"):
            domain = (
                ["&", *safe_eval(node.get("domain"), eval_context), *domain]
                if (domain)
                else safe_eval(node.get("domain"), eval_context)
            )
    default_field = next(iter(root.iter("field")))
    filter_domain = default_field.get("filter_domain") or (
        f"[('{default_field.get('name')}', 'ilike', self)]"
    )
    return domain, context, filter_domain


class Side:
    """One addon as the web client sees it: its views' specifications, the action's
    starting domain and what creating a record takes."""

    def __init__(self, env, key, lead, handlers):
        conf = SIDES[key]
        self.key = key
        self.model = conf["model"]
        self.portal = conf["portal"]
        action = env.ref(conf["action"])
        self.domain, self.action_context, self.filter_domain = search_defaults(
            env, self.model, action
        )
        self.kanban_spec, kanban, progressbar = view_spec(env, self.model, "kanban")
        self.kanban_limit = int(kanban.get("limit") or 40)
        self.progress_bar = {
            "field": progressbar.get("field"),
            "colors": json.loads(progressbar.get("colors")),
            "help": progressbar.get("help") or "",
        }
        self.list_spec = view_spec(env, self.model, "list")[0]
        self.form_spec = view_spec(env, self.model, "form")[0]
        self.context = {
            "lang": "nl_NL",
            "tz": "Europe/Amsterdam",
            "uid": lead.id,
            "allowed_company_ids": [env.company.id],
            "bin_size": True,
            **{
                k: v
                for k, v in self.action_context.items()
                if not k.startswith("search_default_")
            },
        }
        self.lead = lead
        self.handlers = handlers.ids
        if key == "ours":
            categories = env["municipal.complaint.category"].search(
                [("kind", "=", "complaint")]
            )
        else:
            categories = env["helpdesk.ticket.category"].search([])
        self.category_ids = categories.ids
        self.channel_id = (
            env.ref(f"{PEER}.helpdesk_ticket_channel_phone").id if key == "peer" else 0
        )

    def search_domain(self, term):
        from odoo.tools.safe_eval import safe_eval

        return safe_eval(self.filter_domain, {"self": term})

    def new_values(self, partner):
        """What a user fills in the form for a new case or ticket."""
        handler = random.choice(self.handlers)
        category = random.choice(self.category_ids)
        subject = f"Niet teruggebeld over mijn uitkering {random.randint(1, 99999)}"
        description = "<p>Ik ben drie keer niet teruggebeld.</p>"
        if self.key == "ours":
            return {
                "subject": subject,
                "description": description,
                "partner_id": partner.id,
                "user_id": handler,
                "category_id": category,
                "channel": "phone",
            }
        return {
            "name": subject,
            "description": description,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "user_id": handler,
            "category_id": category,
            "channel_id": self.channel_id,
        }


# -------------------------------------------------------------------------- timing
class Bench:
    def __init__(self, registry, sides, partner_ids):
        self.registry = registry
        self.sides = sides
        self.partner_ids = partner_ids
        self.times = {}
        self.queries = {}
        self.extra = {}

    def call(self, side, operation, function):
        """Run ``function(model)`` in a new cursor (a request), as the lead user with
        the web client's context; time it, count its queries, roll it back."""
        from odoo import api

        with self.registry.cursor() as cr:
            env = api.Environment(cr, side.lead.id, side.context)
            model = env[side.model]
            before = cr.sql_log_count
            start = time.perf_counter()
            result = function(model)
            env.flush_all()
            elapsed = time.perf_counter() - start
            queries = cr.sql_log_count - before
            after = function.__dict__.get("after")
            if after:
                self.extra[(side.key, operation)] = after(model, result)
            cr.rollback()
        self.times.setdefault((side.key, operation), []).append(elapsed)
        self.queries[(side.key, operation)] = queries
        return result


def operations(args):
    """The operations of the table: name, label, function(side) -> function(model)."""

    def kanban_open(side):
        def run(model):
            groups = model.web_read_group(
                side.domain,
                ["stage_id"],
                [],
                auto_unfold=True,
                unfold_read_specification=side.kanban_spec,
                unfold_read_default_limit=side.kanban_limit,
                **{},
            )
            bars = model.read_progress_bar(side.domain, "stage_id", side.progress_bar)
            return groups, bars

        return run

    def kanban_groups(side):
        def run(model):
            return model.web_read_group(side.domain, ["stage_id"], [])

        return run

    def list_page(side):
        def run(model):
            return model.web_search_read(
                [], side.list_spec, limit=80, count_limit=10001
            )

        return run

    def text_search(side):
        def run(model):
            return model.web_search_read(
                side.search_domain(SEARCH_TERM),
                side.list_spec,
                limit=80,
                count_limit=10001,
            )

        run.after = lambda model, result: result["length"]
        return run

    def create_batch(side):
        def run(model):
            partners = model.env["res.partner"].browse(
                random.choices(side_partners, k=args.batch)
            )
            vals_list = [side.new_values(partner) for partner in partners]
            return model.with_context(mail_notify_force_send=False).create(vals_list)

        def after(model, records):
            env = model.env
            env.cr.execute(
                """
                SELECT count(DISTINCT mm.id), count(r.res_partner_id)
                  FROM mail_mail mm
                  JOIN mail_message m ON m.id = mm.mail_message_id
                  LEFT JOIN mail_mail_res_partner_rel r ON r.mail_mail_id = mm.id
                 WHERE m.model = %s AND m.res_id = ANY(%s)
                """,
                [model._name, records.ids],
            )
            return env.cr.fetchone()

        run.after = after
        return run

    def create_single(side):
        def run(model):
            results = []
            for _n in range(args.singles):
                partner = model.env["res.partner"].browse(random.choice(side_partners))
                results.append(
                    model.with_context(mail_notify_force_send=False).web_save(
                        side.new_values(partner), side.form_spec
                    )
                )
            return results

        return run

    side_partners = []
    kanban = "kanban open (web_read_group auto-unfold + progress bar)"
    singles = f"single create from the form (x{args.singles}, per create)"
    table = [
        ("kanban_open", kanban, kanban_open),
        ("kanban_groups", "kanban groups only", kanban_groups),
        ("list_page", "list page of 80 + count", list_page),
        ("text_search", f"text search in the list ({SEARCH_TERM!r})", text_search),
        ("create_batch", f"create {args.batch:,} in one batch", create_batch),
        ("create_single", singles, create_single),
    ]
    return table, side_partners


# ------------------------------------------------------------------ kanban options
ACTIVITY_BAR = {
    "field": "activity_state",
    "colors": {"planned": "success", "today": "warning", "overdue": "danger"},
    "help": "",
}
OPEN_INDEXES = ("municipal_complaint_open_cases_idx",)


def kanban_options(registry, side, repeat):
    """The kanban's first screen of ours under each option, medians of ``repeat``:
    the domain it opens with, the column bar it counts, the open-cases indexes."""
    from odoo import api

    open_domain = [("closed_date", "=", False)]
    deadline_bar = side.progress_bar
    variants = [
        ("all cases, activity bar (before)", [], ACTIVITY_BAR, ()),
        ("all cases, deadline bar", [], deadline_bar, ()),
        ("open filter, activity bar", open_domain, ACTIVITY_BAR, ()),
        ("open filter, deadline bar, no open-case indexes", open_domain,
         deadline_bar, OPEN_INDEXES),
        ("open filter, deadline bar (now)", open_domain, deadline_bar, ()),
    ]  # fmt: skip
    print()
    print("| kanban of ours, option | groups | progress bar | total (median) | p95 |")
    print("|---|---:|---:|---:|---:|")
    for label, domain, bar, drop in variants:
        groups, bars, totals = [], [], []
        for turn in range(repeat + 1):
            with registry.cursor() as cr:
                from odoo.tools import SQL

                for index in drop:
                    cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
                env = api.Environment(cr, side.lead.id, side.context)
                model = env[side.model]
                start = time.perf_counter()
                model.web_read_group(
                    domain,
                    ["stage_id"],
                    [],
                    auto_unfold=True,
                    unfold_read_specification=side.kanban_spec,
                    unfold_read_default_limit=side.kanban_limit,
                )
                middle = time.perf_counter()
                model.read_progress_bar(domain, "stage_id", bar)
                end = time.perf_counter()
                cr.rollback()
            if turn:  # the first one warms up
                groups.append(middle - start)
                bars.append(end - middle)
                totals.append(end - start)
        print(
            f"| {label} | {fmt(statistics.median(groups))} "
            f"| {fmt(statistics.median(bars))} | {fmt(statistics.median(totals))} "
            f"| {fmt(percentile(totals, 0.95))} |"
        )
    search_index_options(registry, side, repeat)


def search_index_options(registry, side, repeat):
    """The list's default text search of ours with and without the subject's trigram
    index (dropped inside the rolled-back transaction)."""
    from odoo import api
    from odoo.tools import SQL

    print()
    print("| text search of ours, option | median | p95 |")
    print("|---|---:|---:|")
    for label, drop in (
        ("without the subject index (before)", True),
        ("with the trigram index on the subject (now)", False),
    ):
        times = []
        for turn in range(repeat + 1):
            with registry.cursor() as cr:
                if drop:
                    cr.execute(
                        SQL(
                            "DROP INDEX %s",
                            SQL.identifier("municipal_complaint__subject_index"),
                        )
                    )
                env = api.Environment(cr, side.lead.id, side.context)
                start = time.perf_counter()
                env[side.model].web_search_read(
                    side.search_domain(SEARCH_TERM),
                    side.list_spec,
                    limit=80,
                    count_limit=10001,
                )
                elapsed = time.perf_counter() - start
                cr.rollback()
            if turn:
                times.append(elapsed)
        print(
            f"| {label} | {fmt(statistics.median(times))} "
            f"| {fmt(percentile(times, 0.95))} |"
        )


# --------------------------------------------------------------------------- portal
def start_server(config, database, port):
    log = BUILD / "logs" / "bench-peer-server.log"
    server = subprocess.Popen(
        [
            sys.executable, str(ODOO_PATH / "odoo-bin"), "-c", str(config),
            "-d", database, "--db-filter", f"^{database}$", "--http-port", str(port),
            "--max-cron-threads", "0", "--logfile", str(log),
        ],
        start_new_session=True,
    )  # fmt: skip
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/web/health", timeout=1)
            return server
        except OSError:
            time.sleep(0.5)
    os.killpg(server.pid, 15)
    sys.exit(f"the benchmark server did not start (log: {log})")


def portal_session(port, database):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    payload = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "db": database,
                "login": "bench_citizen",
                "password": "bench_citizen",
            },
        }
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/web/session/authenticate",
        data=payload,
        headers={"Content-Type": "application/json"},
    )
    answer = json.loads(opener.open(request, timeout=60).read())
    if "error" in answer:
        sys.exit(f"portal login failed: {answer['error']}")
    return opener


def time_portal(opener, port, path):
    start = time.perf_counter()
    response = opener.open(f"http://127.0.0.1:{port}{path}", timeout=60)
    body = response.read()
    elapsed = time.perf_counter() - start
    if response.status != 200 or b"bench" not in body.lower():
        sys.exit(f"{path} did not answer a portal page ({response.status})")
    return elapsed


# -------------------------------------------------------------------------- report
def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def fmt(seconds):
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def report(bench, labels, args, loads):
    print()
    print(
        f"municipal_complaint against {PEER} {PEER_VERSION}: {args.size:,} records "
        f"each, {args.open:,} open, {HANDLERS} handlers; median of {args.repeat} "
        "turns (server time, ours / peer; below 1 is faster)"
    )
    print()
    header = (
        "| operation | ours median | peer median | ratio | ours p95 | peer p95 "
        "| queries ours / peer |"
    )
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|")
    ratios = {}
    for name, label in labels:
        ours = bench.times.get(("ours", name))
        peer = bench.times.get(("peer", name))
        if not ours or not peer:
            continue
        divisor = args.singles if name == "create_single" else 1
        om, pm = statistics.median(ours) / divisor, statistics.median(peer) / divisor
        ratios[name] = om / pm
        print(
            f"| {label} | {fmt(om)} | {fmt(pm)} | {om / pm:.2f} "
            f"| {fmt(percentile(ours, 0.95) / divisor)} "
            f"| {fmt(percentile(peer, 0.95) / divisor)} "
            f"| {bench.queries.get(('ours', name), '-')} / "
            f"{bench.queries.get(('peer', name), '-')} |"
        )
    print()
    for name, _label in labels:
        ours, peer = bench.extra.get(("ours", name)), bench.extra.get(("peer", name))
        if name == "text_search" and ours is not None:
            print(f"text search found: ours {ours}, peer {peer}")
        if name == "create_batch" and ours is not None:
            print(
                f"mails queued by the batch (mails, recipients): ours {tuple(ours)}, "
                f"peer {tuple(peer)}"
            )
    print(
        "load average (1, 5, 15 min): before "
        + ", ".join(f"{x:.2f}" for x in loads[0])
        + "; after "
        + ", ".join(f"{x:.2f}" for x in loads[1])
    )
    slower = [name for name, ratio in ratios.items() if ratio > 1.0]
    kanban = bench.times.get(("ours", "kanban_open"))
    if kanban:
        print(
            f"ours kanban open p95: {fmt(percentile(kanban, 0.95))} (target < 300 ms)"
        )
    print(
        "every ratio <= 1.0"
        if not slower
        else f"slower than the peer: {', '.join(slower)}"
    )


# ---------------------------------------------------------------------------- main
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200_000, help="records per addon")
    parser.add_argument(
        "--open", type=int, default=None, help="open records (default: a fifth)"
    )
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--batch", type=int, default=1000, help="records per batch")
    parser.add_argument("--singles", type=int, default=100, help="single creates")
    parser.add_argument("--database", help="default: complaints_peer_<size>")
    parser.add_argument("--rebuild", action="store_true", help="fill a new database")
    parser.add_argument(
        "--no-update", action="store_true", help="do not update this addon first"
    )
    parser.add_argument(
        "--kanban-options",
        action="store_true",
        help="only time the options for the kanban's first screen and the text "
        "search of ours",
    )
    parser.add_argument(
        "--only", help="comma-separated operations (kanban_open, kanban_groups, "
        "list_page, text_search, create_batch, create_single, portal)"
    )  # fmt: skip
    args = parser.parse_args()
    args.open = args.open if args.open is not None else args.size // 5
    database = args.database or f"complaints_peer_{args.size}"
    if database in ("complaints", "complaints_test"):
        sys.exit("Refusing to use the harness's own databases: choose another name.")

    figures.ensure_postgres()
    port = figures.free_port()
    config = BUILD / "odoo-bench-peer.conf"
    figures.write_config(config, port)
    fresh = args.rebuild or not database_ready(database, args.size)
    if fresh:
        install(config, database)
    elif not args.no_update:
        update(config, database)

    import odoo
    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db
    from odoo.tools import config as odoo_config

    odoo_config.parse_config(
        ["-c", str(config), "-d", database, "--no-http"], setup_logging=False
    )
    registry = Registry(database)
    if fresh:
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            fill(env, args.size, args.open)
            cr.commit()
        vacuum(database)

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        lead = env["res.users"].search([("login", "=", "bench_lead")])
        handlers = env["res.users"].search([("login", "like", "bench_handler_%")])
        sides = [Side(env, key, lead, handlers) for key in ("ours", "peer")]
        cr.execute(
            "SELECT id FROM res_partner WHERE email LIKE 'klager%%@example.com'"
            " ORDER BY id"
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        for side in sides:
            say(
                f"{side.key}: kanban domain {side.domain}, "
                f"kanban fields {sorted(side.kanban_spec)}"
            )

    if args.kanban_options:
        kanban_options(registry, sides[0], args.repeat)
        Registry.delete(database)
        close_db(database)
        return

    table, side_partners = operations(args)
    side_partners.extend(partner_ids)
    only = set(args.only.split(",")) if args.only else None
    bench = Bench(registry, sides, partner_ids)
    loads = [os.getloadavg()]
    selected = [row for row in table if not only or row[0] in only]
    for name, _label, make in selected:
        say(f"{name}: warm-up and {args.repeat} turns")
        functions = {side.key: make(side) for side in sides}
        for side in sides:  # warm-up, not counted
            bench.call(side, name, functions[side.key])
            bench.times.pop((side.key, name))
        for turn in range(args.repeat):
            order = sides if turn % 2 == 0 else sides[::-1]
            for side in order:
                bench.call(side, name, functions[side.key])

    labels = [(name, label) for name, label, _make in selected]
    if not only or "portal" in only:
        server = start_server(config, database, port)
        try:
            opener = portal_session(port, database)
            for side in sides:
                time_portal(opener, port, side.portal)  # warm-up
            for turn in range(args.repeat):
                for side in sides if turn % 2 == 0 else sides[::-1]:
                    bench.times.setdefault((side.key, "portal"), []).append(
                        time_portal(opener, port, side.portal)
                    )
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
        labels.append(
            ("portal", "portal list page (/my/complaints vs /my/tickets, HTTP)")
        )
    loads.append(os.getloadavg())
    Registry.delete(database)
    close_db(database)
    report(bench, labels, args, loads)


if __name__ == "__main__":
    main()
