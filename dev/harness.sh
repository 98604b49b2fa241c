#!/usr/bin/env bash
# The harness behind `make run`, `make test`, `make lint` and `make wheel-check`.
#
# It prepares, each step skipped when already done:
#   - the Odoo 19.0 community source at $ODOO_PATH (default /opt/odoo/19.0);
#   - the Debian packages Odoo needs (installed with apt when root, listed otherwise);
#   - .venv/ with Odoo's requirements, the addon's run-time requirements.txt and
#     requirements-test.txt (rebuilt when they change);
#   - PostgreSQL: the server named by PGHOST/PGPORT when set, otherwise an embedded cluster that
#     listens on a Unix socket only, kept in a folder its server's user owns (see pg_dir below),
#     so that the checkout may live anywhere: under a private (0700) parent, in a path with spaces;
#   - .build/addons/municipal_complaint -> the checkout, so Odoo sees the addon by its name.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDON=municipal_complaint
ODOO_PATH=${ODOO_PATH:-/opt/odoo/19.0}
ODOO_REPO=${ODOO_REPO:-https://github.com/odoo/odoo.git}
ODOO_BRANCH=19.0
PYTHON=${PYTHON:-python3}
VENV=${VENV:-$ROOT/.venv}
BUILD=$ROOT/.build
RUN_DB=${RUN_DB:-complaints}
TEST_DB=${TEST_DB:-complaints_test}
RUN_PORT=${RUN_PORT:-8069}

export PYTHONDONTWRITEBYTECODE=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\033[1m[harness]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[harness] %s\033[0m\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# --------------------------------------------------------------------------- Odoo source
ensure_odoo_source() {
    if [ -f "$ODOO_PATH/odoo-bin" ] && [ -d "$ODOO_PATH/odoo/addons/base" ]; then
        return
    fi
    say "Odoo source not found at $ODOO_PATH: cloning the official $ODOO_BRANCH branch (shallow)"
    mkdir -p "$(dirname "$ODOO_PATH")"
    if ! git clone --quiet --depth 1 --branch "$ODOO_BRANCH" "$ODOO_REPO" "$ODOO_PATH"; then
        die "Could not get the Odoo $ODOO_BRANCH source. Set ODOO_PATH to an Odoo 19.0 community checkout (a folder with odoo-bin and odoo/addons/base), e.g. ODOO_PATH=/path/to/odoo make test"
    fi
}

# --------------------------------------------------------------------------- Debian packages
debian_packages() {
    # libmagic1: python-magic sniffs uploaded files (models/complaint_upload.py);
    # poppler-utils: the PDF tests read the letters back with pdftotext and pdfinfo
    local pkgs=(libpq-dev libldap2-dev libsasl2-dev libmagic1 wkhtmltopdf chromium poppler-utils)
    [ -z "${PGHOST:-}${PGPORT:-}" ] && pkgs+=(postgresql)
    printf '%s\n' "${pkgs[@]}"
}

ensure_debian_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian: the user provides them
    local missing=()
    while read -r pkg; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done < <(debian_packages)
    [ ${#missing[@]} -eq 0 ] && return
    if is_root; then
        say "Installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q "${missing[@]}" >"$BUILD/apt.log" 2>&1 \
            || { apt-get update -q >>"$BUILD/apt.log" 2>&1 && apt-get install -y -q "${missing[@]}" >>"$BUILD/apt.log" 2>&1; } \
            || die "apt-get install failed, see $BUILD/apt.log"
    else
        die "Missing Debian packages: ${missing[*]} -- install them with: sudo apt-get install ${missing[*]}"
    fi
}

# --------------------------------------------------------------------------- virtualenv
venv_fingerprint() {
    {
        "$PYTHON" -c 'import sys; print(sys.version)'
        cat "$ODOO_PATH/requirements.txt" "$ROOT/requirements.txt" "$ROOT/requirements-test.txt"
    } | sha256sum | cut -d' ' -f1
}

ensure_venv() {
    local want
    want=$(venv_fingerprint)
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.fingerprint" 2>/dev/null)" = "$want" ]; then
        ensure_odoo_on_path
        return
    fi
    say "Building $VENV (Odoo requirements + requirements.txt + requirements-test.txt); this takes a minute or two"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    # Old sdists (cbor2, ...) import pkg_resources while building: cap setuptools below 81,
    # for the install and for the isolated build environments.
    # pip splits these variables on whitespace: the file as a file:// URL, spaces escaped.
    printf 'setuptools<81\n' >"$BUILD/pip-constraints.txt"
    local constraints
    constraints=$("$PYTHON" -c 'import pathlib, sys; print(pathlib.Path(sys.argv[1]).as_uri())' "$BUILD/pip-constraints.txt")
    export PIP_CONSTRAINT="$constraints" PIP_BUILD_CONSTRAINT="$constraints"
    "$VENV/bin/pip" install -q 'setuptools<81' wheel >"$BUILD/pip.log" 2>&1 || die "pip failed, see $BUILD/pip.log"
    "$VENV/bin/pip" install -q -r "$ODOO_PATH/requirements.txt" -r "$ROOT/requirements.txt" \
        -r "$ROOT/requirements-test.txt" \
        >>"$BUILD/pip.log" 2>&1 || die "pip install failed, see $BUILD/pip.log"
    ensure_odoo_on_path
    echo "$want" >"$VENV/.fingerprint"
}

ensure_odoo_on_path() {
    # Odoo 19's `odoo` is a namespace package: a .pth file makes it importable (pytest-odoo).
    local site
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$ODOO_PATH" >"$site/odoo-source.pth"
}

# --------------------------------------------------------------------------- the addon
ensure_addon_link() {
    # .build/addons/<addon>/ holds a link to each visible top-level entry of the checkout, not a
    # link to the checkout itself: Odoo walks an addon's folder (term export, --dev reload) and
    # must not wander into .venv/, .pgdata/ or .git/.
    local dir=$BUILD/addons/$ADDON entry
    [ -L "$dir" ] && rm -f "$dir"
    mkdir -p "$dir"
    find "$dir" -mindepth 1 -maxdepth 1 -type l -delete
    for entry in "$ROOT"/*; do
        ln -s "$entry" "$dir/$(basename "$entry")"
    done
}

write_config() {  # write_config <file> <http_port>
    cat >"$1" <<EOF
[options]
addons_path = $ODOO_PATH/odoo/addons,$ODOO_PATH/addons,$BUILD/addons
data_dir = $BUILD/data
admin_passwd = admin
http_interface = 127.0.0.1
http_port = $2
gevent_port = $(($2 + 3))
db_user = ${PGUSER:-$(id -un)}
EOF
}

# --------------------------------------------------------------------------- PostgreSQL
# The embedded cluster (data, socket, logs) lives in a folder owned by the user its server runs
# as, never in the checkout: as root the server runs as the `postgres` system user, who cannot
# enter a checkout under a private parent (root's home, a `mktemp -d` folder). One cluster per
# checkout, keyed by a hash of the checkout's path:
#   as root:   /var/lib/postgresql/municipal_complaint/<folder>-<hash>   (owned by postgres)
#   otherwise: ${XDG_STATE_HOME:-~/.local/state}/municipal_complaint/<folder>-<hash>
# PG_DIR overrides that folder. The socket stays inside it, on a short path: a Unix socket's
# path is limited to 107 bytes, which a socket inside a deep checkout would exceed.
PG_STARTED_HERE=0
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }

pg_dir() {
    if [ -n "${PG_DIR:-}" ]; then
        printf '%s\n' "$PG_DIR"
        return
    fi
    local key name base
    key=$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)
    name=$(printf '%s' "${ROOT##*/}" | tr -c 'A-Za-z0-9._-' '_' | cut -c1-20)
    if is_root; then
        base=/var/lib/postgresql/municipal_complaint
    else
        base=${XDG_STATE_HOME:-$HOME/.local/state}/municipal_complaint
    fi
    printf '%s/%s-%s\n' "$base" "$name" "$key"
}
PGDIR=$(pg_dir)
PGCLUSTER=$PGDIR/cluster
PGSOCKET=$PGDIR/socket
LEGACY_PGCLUSTER=$ROOT/.pgdata/cluster   # where the cluster lived before: `make stop` stops it too

as_pg_owner() {
    # from /: the server's user may not enter the current folder
    if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

ensure_pg_dir() {
    [ $((${#PGSOCKET} + 15)) -le 107 ] \
        || die "$PGSOCKET is too long a path for a Unix socket (107 bytes at most): set PG_DIR to a shorter folder"
    if is_root; then
        id postgres >/dev/null 2>&1 || die "the system user 'postgres' is missing (install the postgresql package)"
        if [ -z "${PG_DIR:-}" ]; then
            mkdir -p "$(dirname "$PGDIR")"
            chown postgres: "$(dirname "$PGDIR")"
        fi
        mkdir -p "$PGSOCKET"
        chown postgres: "$PGDIR" "$PGSOCKET"
    else
        mkdir -p "$PGSOCKET"
    fi
    chmod 700 "$PGDIR"
    as_pg_owner test -w "$PGDIR" -a -x "$PGDIR" \
        || die "the PostgreSQL server's user cannot write $PGDIR: set PG_DIR to a folder it can reach"
    # which checkout the cluster belongs to, for whoever finds the folder later
    printf '%s\n' "$ROOT" >"$PGDIR/checkout"
}

# The server's settings in a file of their own, rewritten at each start: no path goes through
# pg_ctl's shell command line, where a space would split it.
write_pg_settings() {
    local conf=$PGCLUSTER/harness.conf
    {
        echo "# written by dev/harness.sh at each start"
        echo "listen_addresses = ''"
        printf "unix_socket_directories = '%s'\n" "${PGSOCKET//\'/\'\'}"
        echo "fsync = off"
        echo "full_page_writes = off"
    } >"$conf"
    is_root && chown postgres: "$conf"
    grep -qx "include_if_exists = 'harness.conf'" "$PGCLUSTER/postgresql.conf" \
        || echo "include_if_exists = 'harness.conf'" | as_pg_owner tee -a "$PGCLUSTER/postgresql.conf" >/dev/null
}

ensure_postgres() {
    if [ -n "${PGHOST:-}${PGPORT:-}" ]; then
        say "Using the PostgreSQL server named by PGHOST/PGPORT (${PGHOST:-default}:${PGPORT:-5432})"
        export PGDATABASE=${PGDATABASE:-postgres}
        return
    fi
    local bin
    bin=$(pg_bin)
    [ -n "$bin" ] || die "PostgreSQL server binaries not found (Debian package postgresql)"
    ensure_pg_dir
    if [ ! -f "$PGCLUSTER/PG_VERSION" ]; then
        say "Creating the embedded PostgreSQL cluster in $PGCLUSTER"
        as_pg_owner "$bin/initdb" -D "$PGCLUSTER" -U "$(id -un)" --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$PGDIR/initdb.log" 2>&1 || die "initdb failed, see $PGDIR/initdb.log"
    fi
    export PGHOST=$PGSOCKET PGPORT=5432 PGDATABASE=postgres
    if ! as_pg_owner "$bin/pg_ctl" -D "$PGCLUSTER" status >/dev/null 2>&1; then
        write_pg_settings
        as_pg_owner "$bin/pg_ctl" -D "$PGCLUSTER" -w -l "$PGDIR/postgres.log" start >/dev/null \
            || die "PostgreSQL did not start, see $PGDIR/postgres.log"
        PG_STARTED_HERE=1
    fi
    say "PostgreSQL: embedded cluster in $PGDIR (socket only, no TCP port)"
    if [ -f "$LEGACY_PGCLUSTER/PG_VERSION" ]; then
        say "  $ROOT/.pgdata/ holds an older cluster that is no longer used: \`make stop\`, then remove .pgdata/"
    fi
}

stop_postgres() {
    [ "$PG_STARTED_HERE" = 1 ] || return 0
    as_pg_owner "$(pg_bin)/pg_ctl" -D "$PGCLUSTER" -m fast -w stop >/dev/null 2>&1 || true
    PG_STARTED_HERE=0
}

db_exists() { [ "$(psql -XtAc "SELECT 1 FROM pg_database WHERE datname='$1'" 2>/dev/null)" = 1 ]; }

drop_db() {
    if db_exists "$1"; then dropdb "$1"; fi
    rm -rf "$BUILD/data/filestore/$1"
}

addon_installed() {
    [ "$(psql -XtAc "SELECT state FROM ir_module_module WHERE name='$ADDON'" "$1" 2>/dev/null)" = installed ]
}

free_port() {
    "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --------------------------------------------------------------------------- odoo-bin
odoo_bin() { "$VENV/bin/python" "$ODOO_PATH/odoo-bin" "$@"; }

# Odoo exits 0 after a failed module load or logged errors: judge the log too.
check_odoo_log() {  # check_odoo_log <logfile> <what>
    if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$1" >/dev/null; then
        grep -E -A15 '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$1" | head -n 80 >&2
        die "$2 logged errors (full log: $1)"
    fi
    if ! grep -q "Modules loaded" "$1"; then
        tail -n 40 "$1" >&2
        die "$2 did not load the registry (full log: $1)"
    fi
}

install_addon() {  # install_addon <db> <config> <logfile>
    say "Installing $ADDON with demo data into database $1"
    rm -f "$3"
    odoo_bin -c "$2" -d "$1" -i "$ADDON" --with-demo --load-language nl_NL --stop-after-init \
        --no-http --logfile "$3" --log-level info || { tail -n 40 "$3" >&2; die "install failed (log: $3)"; }
    check_odoo_log "$3" "Installing $ADDON"
}

update_addon() {  # update_addon <db> <config> <logfile>
    say "Updating $ADDON in $1"
    rm -f "$3"
    odoo_bin -c "$2" -d "$1" -u "$ADDON" --stop-after-init --no-http --logfile "$3" \
        || { tail -n 40 "$3" >&2; die "update failed (log: $3)"; }
    check_odoo_log "$3" "Updating $ADDON"
}

# The developer commands keep the test database between runs: update it, or install it.
ensure_test_db() {  # ensure_test_db <config> <logfile>
    if db_exists "$TEST_DB" && addon_installed "$TEST_DB"; then
        update_addon "$TEST_DB" "$1" "$2"
    else
        drop_db "$TEST_DB"
        install_addon "$TEST_DB" "$1" "$2"
    fi
}

check_checkout_path() {
    # Odoo splits addons_path on commas; anything else in a path (spaces included) is fine
    case "$ROOT" in
        *,* | *$'\n'*) die "The checkout's path contains a comma or a newline, which Odoo's addons_path cannot hold: $ROOT" ;;
    esac
}

prepare() {
    check_checkout_path
    mkdir -p "$BUILD/data" "$BUILD/logs"
    ensure_odoo_source
    ensure_debian_packages
    ensure_venv
    ensure_addon_link
    ensure_postgres
    trap 'stop_postgres' EXIT
}

# --------------------------------------------------------------------------- commands
cmd_run() {
    prepare
    local conf=$BUILD/odoo-run.conf
    write_config "$conf" "$RUN_PORT"
    if db_exists "$RUN_DB" && ! addon_installed "$RUN_DB"; then
        say "Database $RUN_DB exists without the addon installed: recreating it"
        drop_db "$RUN_DB"
    fi
    if ! db_exists "$RUN_DB"; then
        install_addon "$RUN_DB" "$conf" "$BUILD/logs/run-install.log"
        say "Making Dutch the admin user's language"
        odoo_bin shell -c "$conf" -d "$RUN_DB" --no-http --log-level warn >/dev/null <<'PY'
env.ref('base.user_admin').write({'lang': 'nl_NL', 'tz': 'Europe/Amsterdam'})
env.cr.commit()
PY
        touch "$BUILD/run.stamp"
    elif [ -n "$(find "$ROOT" -path "$ROOT/.venv" -prune -o -path "$ROOT/.pgdata" -prune -o -path "$ROOT/.build" -prune \
                 -o -path "$ROOT/.git" -prune -o -type f -newer "$BUILD/run.stamp" -print -quit 2>/dev/null)" ] \
         || [ ! -f "$BUILD/run.stamp" ]; then
        say "The addon changed since the last run"
        update_addon "$RUN_DB" "$conf" "$BUILD/logs/run-update.log"
        touch "$BUILD/run.stamp"
    fi
    say "Odoo is starting on http://localhost:$RUN_PORT  (login admin / admin; Ctrl-C stops Odoo and the database)"
    # Odoo runs in the foreground; Ctrl-C reaches it, then the EXIT trap stops PostgreSQL.
    PATH="$VENV/bin:$PATH" odoo_bin -c "$conf" -d "$RUN_DB" --db-filter "^$RUN_DB\$" ${ODOO_RUN_ARGS:-} || true
}

run_pytest() {  # run_pytest <config> <db> [test files, relative to the addon; default: all]
    local conf=$1 db=$2 paths=()
    shift 2
    if [ $# -eq 0 ]; then paths=("$ADDON/tests"); else for path in "$@"; do paths+=("$ADDON/$path"); done; fi
    say "Running the tests with pytest-odoo (HttpCase included)"
    # Run from the addons folder, so pytest names the test modules odoo.addons.<addon>.tests
    # whatever the checkout folder is called.
    # shellcheck disable=SC2086  # PYTEST_ARGS holds several words
    (cd "$BUILD/addons" && PATH="$VENV/bin:$PATH" "$VENV/bin/python" -m pytest -p no:cacheprovider -rs \
        --rootdir="$BUILD/addons" --odoo-config="$conf" --odoo-database="$db" --odoo-http \
        "${paths[@]}" ${PYTEST_ARGS:-})
}

# Run a step in the background, its output in a log; finish_step waits and judges it.
start_step() {  # start_step <name> <command...>
    local name=$1; shift
    ( "$@" ) >"$BUILD/logs/$name.log" 2>&1 &
    eval "STEP_PID_$name=$!"
}

finish_step() {  # finish_step <name> <what failed> [quiet]
    local name=$1 pid_var="STEP_PID_$1"
    if wait "${!pid_var}"; then
        [ -n "${3:-}" ] || say "$name: ok"
    else
        cat "$BUILD/logs/$name.log" >&2
        die "$2 (log: $BUILD/logs/$name.log)"
    fi
}

cmd_test() {
    prepare
    local conf=$BUILD/odoo-test.conf log=$BUILD/logs/test-install.log started=$SECONDS
    write_config "$conf" "$(free_port)"
    drop_db "$TEST_DB"
    # lint needs no database: it runs while the addon installs (two cores, two jobs)
    [ "${SKIP_LINT:-0}" = 1 ] || { say "Lint: pre-commit, in the background"; start_step lint cmd_lint_inner; }
    # the harness's own test (a clone in a private folder with a space): a few seconds, beside it
    say "Harness self-test (dev/test_harness.sh), in the background"
    start_step selftest env VENV="$VENV" ODOO_PATH="$ODOO_PATH" "$ROOT/dev/test_harness.sh"
    install_addon "$TEST_DB" "$conf" "$log"
    say "Installed in $((SECONDS - started)) s"
    [ "${SKIP_LINT:-0}" = 1 ] || finish_step lint "lint failed"
    finish_step selftest "the harness's self-test failed"
    # the wheel check installs into a database of its own: it runs beside the tests
    [ "${SKIP_WHEEL:-0}" = 1 ] || {
        say "Wheel check, in the background"
        start_step wheel cmd_wheel_check_inner
    }
    local rc=0
    run_pytest "$conf" "$TEST_DB" || rc=$?
    # quiet on success: the output ends with pytest's own summary line
    [ "${SKIP_WHEEL:-0}" = 1 ] || finish_step wheel "wheel check failed" quiet
    drop_db "$TEST_DB" || true
    [ $rc -eq 0 ] || exit $rc
}

# For developers: keep the test database between runs, only updating the addon.
cmd_retest() {
    prepare
    local conf=$BUILD/odoo-test.conf
    write_config "$conf" "$(free_port)"
    ensure_test_db "$conf" "$BUILD/logs/test-update.log"
    run_pytest "$conf" "$TEST_DB"
}

# For developers: re-export the terms after changing strings, then translate the new ones.
cmd_i18n() {
    prepare
    local conf=$BUILD/odoo-test.conf
    write_config "$conf" "$(free_port)"
    ensure_test_db "$conf" "$BUILD/logs/i18n-update.log"
    say "Exporting the terms to i18n/$ADDON.pot and updating i18n/nl.po"
    odoo_bin i18n export -c "$conf" -d "$TEST_DB" -l pot -o "$ROOT/i18n/$ADDON.pot" "$ADDON" \
        >"$BUILD/logs/i18n-export.log" 2>&1 || die "export failed (log: $BUILD/logs/i18n-export.log)"
    "$VENV/bin/python" "$ROOT/dev/i18n_update.py" "$ROOT/i18n/$ADDON.pot" "$ROOT/i18n/nl.po"
}

cmd_lint_inner() {
    if [ -f "$ROOT/.pre-commit-config.yaml" ]; then
        say "Lint: pre-commit (ruff, pylint-odoo, XML/CSV/PO checks)"
        (cd "$ROOT" && PATH="$VENV/bin:$PATH" PRE_COMMIT_HOME="$BUILD/pre-commit" \
            "$VENV/bin/pre-commit" run --all-files --show-diff-on-failure) || die "lint failed"
    fi
}

cmd_wheel_check_inner() {
    if [ -f "$ROOT/dev/wheel_check.sh" ]; then
        say "Wheel: build it and install the addon from it into a throwaway database"
        ODOO_PATH=$ODOO_PATH VENV=$VENV BUILD=$BUILD "$ROOT/dev/wheel_check.sh" || die "wheel check failed"
    fi
}

cmd_lint() {
    mkdir -p "$BUILD"
    ensure_odoo_source
    ensure_venv
    cmd_lint_inner
}

cmd_wheel_check() {
    prepare
    cmd_wheel_check_inner
}

# The benchmark against the OCA peer: its wheel goes into the venv for this only.
cmd_bench_peer() {
    prepare
    say "Installing the peer for the benchmark (bench/requirements-peer.txt)"
    "$VENV/bin/pip" install -q --no-deps -r "$ROOT/bench/requirements-peer.txt" \
        >"$BUILD/logs/pip-peer.log" 2>&1 || die "pip failed, see $BUILD/logs/pip-peer.log"
    PATH="$VENV/bin:$PATH" "$VENV/bin/python" "$ROOT/bench/peer.py" ${BENCH_ARGS:-}
}

# The load test (bench/load.py): Odoo in prefork mode under the Dienst's daily traffic.
cmd_load() {
    prepare
    # shellcheck disable=SC2086  # LOAD_ARGS holds several words
    "$VENV/bin/python" "$ROOT/bench/load.py" ${LOAD_ARGS:-}
}

# The fault tests: each part failing on this machine only (local servers, loopback, time
# limits). The short ones are tests of the suite (make test runs them too); the scheduled
# actions killed mid-run and PostgreSQL restarted under load need processes of their own.
FAULT_TESTS=(tests/test_fault_mail.py tests/test_fault_pdf.py tests/test_fault_mail_intake.py
             tests/test_fault_intake_db.py)
cmd_faults() {
    prepare
    local conf=$BUILD/odoo-test.conf failed=()
    write_config "$conf" "$(free_port)"
    ensure_test_db "$conf" "$BUILD/logs/faults-update.log"
    say "1/3 mail down, PDF engine broken, incoming mail refused, /klacht without database"
    run_pytest "$conf" "$TEST_DB" "${FAULT_TESTS[@]}" || failed+=("the fault tests of the suite")
    say "2/3 scheduled actions killed between two batches (dev/faults_cron.py)"
    "$VENV/bin/python" "$ROOT/dev/faults_cron.py" --source "$TEST_DB" || failed+=("dev/faults_cron.py")
    say "3/3 PostgreSQL restarted while citizens send /klacht (bench/load.py --restart-db)"
    # shellcheck disable=SC2086  # FAULTS_LOAD_ARGS holds several words
    "$VENV/bin/python" "$ROOT/bench/load.py" --small --restart-db 2 --submissions 80 \
        --portal-reads 200 --kanban-reads 200 ${FAULTS_LOAD_ARGS:-} || failed+=("bench/load.py --restart-db")
    [ ${#failed[@]} -eq 0 ] || die "faults: failed: ${failed[*]}"
    say "faults: every check held"
}

cmd_test_harness() {
    mkdir -p "$BUILD"
    ensure_odoo_source
    ensure_venv
    VENV=$VENV ODOO_PATH=$ODOO_PATH "$ROOT/dev/test_harness.sh"
}

cmd_stop() {
    local bin cluster
    bin=$(pg_bin)
    for cluster in "$PGCLUSTER" "$LEGACY_PGCLUSTER"; do
        if [ -f "$cluster/PG_VERSION" ] && as_pg_owner "$bin/pg_ctl" -D "$cluster" status >/dev/null 2>&1; then
            as_pg_owner "$bin/pg_ctl" -D "$cluster" -m fast -w stop >/dev/null && say "Stopped the PostgreSQL cluster in $cluster"
        fi
    done
}

# For scripts (bench/, dev/test_harness.sh) and developers: start the embedded cluster when it is
# not running and print, on stdout, what to connect with; `make stop` stops it.
cmd_pg_start() {
    ensure_postgres
    # shell words: eval "$(dev/harness.sh pg-start)" sets them (shlex.split reads them in Python)
    printf "export PGHOST='%s' PGPORT=%s PGDATABASE=postgres PG_STARTED=%s\n" "${PGHOST//\'/\'\\\'\'}" "$PGPORT" "$PG_STARTED_HERE"
}

# For dev/test_harness.sh: lay the addon link, write an Odoo configuration as `make test` does and
# print its path.
cmd_paths() {
    check_checkout_path
    mkdir -p "$BUILD/data" "$BUILD/logs"
    ensure_addon_link
    write_config "$BUILD/odoo-paths.conf" "$RUN_PORT"
    printf '%s\n' "$BUILD/odoo-paths.conf"
}

# For bench/load.py --restart-db: restart the embedded cluster as an operator would ("fast":
# clients are disconnected and their transactions rolled back; "immediate": as after a crash,
# with recovery at the start). Not for a server named by PGHOST/PGPORT.
cmd_pg_restart() {
    local mode=${1:-fast} bin
    case "$mode" in fast | immediate) ;; *) die "pg-restart fast|immediate" ;; esac
    if [ -n "${PGHOST:-}${PGPORT:-}" ] && [ "${PGHOST:-}" != "$PGSOCKET" ]; then
        die "pg-restart restarts the embedded PostgreSQL only, not the server named by PGHOST/PGPORT"
    fi
    bin=$(pg_bin)
    as_pg_owner "$bin/pg_ctl" -D "$PGCLUSTER" status >/dev/null 2>&1 || die "the embedded PostgreSQL is not running"
    as_pg_owner "$bin/pg_ctl" -D "$PGCLUSTER" -m "$mode" -w -l "$PGDIR/postgres.log" restart >/dev/null \
        || die "PostgreSQL did not restart, see $PGDIR/postgres.log"
}

# Stop this checkout's cluster and remove its folder: every database of the checkout is lost.
cmd_pg_remove() {
    cmd_stop
    if [ -d "$PGDIR" ]; then
        rm -rf "$PGDIR"
        say "Removed $PGDIR"
    fi
}

case "${1:-}" in
    run) cmd_run ;;
    test) cmd_test ;;
    retest) cmd_retest ;;
    i18n) cmd_i18n ;;
    lint) cmd_lint ;;
    wheel-check) cmd_wheel_check ;;
    bench-peer) cmd_bench_peer ;;
    stop) cmd_stop ;;
    pg-start) cmd_pg_start ;;
    pg-restart) cmd_pg_restart "${2:-fast}" ;;
    pg-remove) cmd_pg_remove ;;
    paths) cmd_paths ;;
    test-harness) cmd_test_harness ;;
    load) cmd_load ;;
    faults) cmd_faults ;;
    *) die "usage: $0 run|test|retest|i18n|lint|wheel-check|bench-peer|stop|pg-start|pg-restart|pg-remove|paths|test-harness|load|faults" ;;
esac
