#!/usr/bin/env bash
# The harness's own test (a step of `make test`; alone: `dev/test_harness.sh`).
#
# `make test` must work from any checkout: under a private (0700) parent such as root's home or a
# `mktemp -d` folder, and in a path with spaces, without changing the permissions of the user's
# folders. This clones the current commit into "<mktemp -d, mode 0700>/my checkout" and there
# runs, through the clone's own dev/harness.sh, the steps that used to fail:
#   1. the embedded PostgreSQL: initdb, start, connect with psql, create and drop a database,
#      stop, start again on the same cluster; its folder is outside the checkout and owned by the
#      server's user, and the private parent keeps its mode;
#   2. the addon link and the generated Odoo configuration: Odoo's own configuration parser reads
#      the addons_path (which it splits on commas) with the space in it, finds the addon through
#      the link under .build/addons, and Odoo's database layer connects with the configured user;
#   3. as root, step 1 again as a normal user (the `postgres` system user, with a checkout of its
#      own under a private parent): a normal user runs the server as themselves.
# The cluster and the clones are removed at the end, also on failure.
#
# Not run here: a whole nested `make test` (a fresh virtualenv, an install and the suite: several
# minutes inside the suite). What it would add beyond these steps is the virtualenv built under the
# spaced path and pytest run from it; that was run by hand from such a clone (see README.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDON=municipal_complaint
VENV=${VENV:-$ROOT/.venv}
ODOO_PATH=${ODOO_PATH:-/opt/odoo/19.0}

say() { printf '\033[1m[harness-test]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[harness-test] FAILED: %s\033[0m\n' "$*" >&2; exit 1; }

[ -x "$VENV/bin/python" ] || die "no virtualenv at $VENV: run make test (or set VENV)"
COMMIT=$(git -C "$ROOT" rev-parse HEAD)
# what the harness of the clone must not inherit from the harness that runs this test
unset PGHOST PGPORT PGDATABASE PGUSER PG_DIR

TMP=$(mktemp -d "${TMPDIR:-/tmp}/harness-test.XXXXXX")
chmod 700 "$TMP"
CLONE="$TMP/my checkout"
TMP_USER=""
cleanup() {
    local rc=$?
    "$CLONE/dev/harness.sh" pg-remove >/dev/null 2>&1 || true
    if [ -n "$TMP_USER" ]; then
        as_user "$TMP_USER/their checkout/dev/harness.sh" pg-remove >/dev/null 2>&1 || true
    fi
    rm -rf "$TMP" ${TMP_USER:+"$TMP_USER"}
    exit $rc
}
trap cleanup EXIT

as_user() {  # as_user <command...>: as the postgres system user, with a home and state of its own
    (cd / && runuser -u postgres -- env HOME="$TMP_USER" XDG_STATE_HOME="$TMP_USER/state" "$@")
}

# check_postgres <label> <runner...>: step 1 with the clone's harness, run by <runner>
check_postgres() {
    local label=$1 checkout=$2; shift 2
    local harness="$checkout/dev/harness.sh" env_line pgdir owner
    unset PGHOST PGPORT
    env_line=$("$@" "$harness" pg-start) || die "$label: dev/harness.sh pg-start failed"
    eval "$env_line"
    [ "$PG_STARTED" = 1 ] || die "$label: the cluster was already running"
    pgdir=$(dirname "$PGHOST")
    case "$pgdir/" in "$checkout"/*) die "$label: the cluster is inside the checkout ($pgdir)" ;; esac
    owner=$("$@" id -un)
    [ "$owner" = root ] && owner=postgres   # as root the server runs as postgres
    [ "$(stat -c %U "$pgdir")" = "$owner" ] || die "$label: $pgdir is not owned by $owner, the server's user"
    [ "$("$@" cat "$pgdir/checkout")" = "$checkout" ] || die "$label: $pgdir/checkout does not name the checkout"
    [ "$("$@" psql -XtAc 'SELECT 1' 2>&1)" = 1 ] || die "$label: psql could not connect through $PGHOST"
    "$@" createdb harness_selftest || die "$label: createdb failed"
    [ "$("$@" psql -XtA -d harness_selftest -c 'CREATE TABLE t (x int); INSERT INTO t VALUES (42); SELECT x FROM t' 2>&1 | tail -n1)" = 42 ] \
        || die "$label: could not write in a new database"
    "$@" dropdb harness_selftest || die "$label: dropdb failed"
    "$@" "$harness" stop >/dev/null 2>&1 || die "$label: dev/harness.sh stop failed"
    "$@" psql -XtAc 'SELECT 1' >/dev/null 2>&1 && die "$label: the server still answers after stop"
    unset PGHOST PGPORT
    env_line=$("$@" "$harness" pg-start 2>/dev/null) || die "$label: the second start failed"
    eval "$env_line"
    [ "$PG_STARTED" = 1 ] && [ "$("$@" psql -XtAc 'SELECT 1')" = 1 ] || die "$label: the second start did not serve"
    say "$label: PostgreSQL in $pgdir: initdb, start, psql, createdb/dropdb, stop, start again: ok"
}

say "Cloning $COMMIT into '$CLONE' (parent mode $(stat -c %a "$TMP"))"
[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ] \
    || say "  (the checkout has uncommitted changes: the clone tests the last commit without them)"
git clone --quiet --no-checkout "$ROOT" "$CLONE"
git -C "$CLONE" checkout --quiet --detach "$COMMIT"

# ------------------------------------------------------------------ 1. the embedded PostgreSQL
check_postgres "$(id -un)" "$CLONE" env

# ------------------------------------------------------------------ 2. addon link and configuration
CONF=$("$CLONE/dev/harness.sh" paths) || die "dev/harness.sh paths failed"
[ "$CONF" = "$CLONE/.build/odoo-paths.conf" ] || die "unexpected configuration path: $CONF"
[ -L "$CLONE/.build/addons/$ADDON/__manifest__.py" ] || die "the addon link holds no __manifest__.py"
"$VENV/bin/python" - "$CONF" "$CLONE" "$ADDON" "$ODOO_PATH" <<'PY' || die "Odoo does not read the generated configuration right"
import os
import sys

sys.path.insert(0, sys.argv[4])
from odoo import sql_db  # noqa: E402
from odoo.modules import module  # noqa: E402
from odoo.tools import config  # noqa: E402

conf, clone, addon = sys.argv[1:4]
config.parse_config(["-c", conf], setup_logging=False)
addons = os.path.realpath(os.path.join(clone, ".build", "addons"))
paths = config["addons_path"]
assert addons in paths, f"{addons!r} not in addons_path {paths!r}"
assert len(paths) == 3, f"addons_path has {len(paths)} entries, 3 expected: {paths!r}"
assert config["data_dir"] == os.path.realpath(os.path.join(clone, ".build", "data")), config["data_dir"]
module.initialize_sys_path()
found = module.get_module_path(addon)
assert found == os.path.join(addons, addon), f"{addon} found at {found!r}"
manifest = module.get_manifest(addon)
assert manifest.get("name") and manifest["version"].startswith("19.0."), manifest
with sql_db.db_connect("postgres").cursor() as cr:
    cr.execute("SELECT current_user")
    user = cr.fetchone()[0]
assert user == config["db_user"], (user, config["db_user"])
print(f"  addons_path {paths[-1]!r}; {addon} {manifest['version']} found; connected as {user}")
PY
say "addon link and configuration under a path with a space: ok"
"$CLONE/dev/harness.sh" pg-remove >/dev/null 2>&1
[ -d "$(dirname "$PGHOST")" ] && die "dev/harness.sh pg-remove left $(dirname "$PGHOST")"
[ "$(stat -c %a "$TMP")" = 700 ] || die "the private parent's mode changed to $(stat -c %a "$TMP")"

# ------------------------------------------------------------------ 3. as a normal user
if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    TMP_USER=$(mktemp -d "${TMPDIR:-/tmp}/harness-test-user.XXXXXX")
    git clone --quiet --no-checkout "$CLONE" "$TMP_USER/their checkout"
    git -C "$TMP_USER/their checkout" checkout --quiet --detach "$COMMIT"
    chown -R postgres: "$TMP_USER"
    chmod 700 "$TMP_USER"
    check_postgres "a normal user (postgres)" "$TMP_USER/their checkout" as_user
    as_user "$TMP_USER/their checkout/dev/harness.sh" pg-remove >/dev/null 2>&1
fi
say "OK"
