#!/usr/bin/env bash
# The wheel check behind `make wheel-check` (and a step of `make test`):
#   1. `pip wheel --no-deps` of the checkout, as a user would build it (whool packs the files
#      under git control, so untracked files never leak in);
#   2. the wheel's name, version and contents: the manifest, every data/demo file it lists, and
#      every file of i18n/ and static/, under odoo/addons/municipal_complaint/, and no junk;
#   3. `pip install --no-deps --target` of the wheel into a throwaway folder, put on PYTHONPATH
#      the way a pip-installed addon sits in site-packages (Odoo 19 finds it through the
#      odoo.addons namespace, the checkout is NOT on the addons path);
#   4. odoo-bin installs the addon from there into a throwaway database, judged by its log
#      (Odoo exits 0 after a failed load); the database is dropped afterwards.
# Run by dev/harness.sh with ODOO_PATH, VENV and BUILD exported and PostgreSQL reachable (PGHOST).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDON=municipal_complaint
: "${ODOO_PATH:?set by dev/harness.sh: run make wheel-check}"
: "${VENV:?set by dev/harness.sh: run make wheel-check}"
: "${BUILD:?set by dev/harness.sh: run make wheel-check}"
DB=${WHEEL_DB:-${ADDON}_wheel_check}
LOG=$BUILD/logs/wheel-install.log

say() { printf '\033[1m[wheel]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[wheel] %s\033[0m\n' "$*" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wheel-check.XXXXXX")
cleanup() {
    dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$BUILD/logs" "$WORK/dist" "$WORK/site" "$WORK/data"

# ------------------------------------------------------------------------- 1. build
say "Building the wheel (pip wheel --no-deps)"
# The venv has the build requirements (whool, pinned in requirements-test.txt): no isolated
# build environment to download and set up, a few seconds saved and no network needed.
"$VENV/bin/pip" wheel --no-deps --no-build-isolation --quiet --wheel-dir "$WORK/dist" "$ROOT" \
    >"$WORK/pip-wheel.log" 2>&1 \
    || { cat "$WORK/pip-wheel.log" >&2; die "pip wheel failed"; }
shopt -s nullglob
wheels=("$WORK"/dist/*.whl)
[ ${#wheels[@]} -eq 1 ] || die "expected one wheel, found: ${wheels[*]:-none}"
WHEEL=${wheels[0]}

# ------------------------------------------------------------------------- 2. contents
say "Checking $(basename "$WHEEL")"
(cd "$ROOT" && git ls-files) >"$WORK/tracked.txt"
"$VENV/bin/python" - "$WHEEL" "$ROOT" "$WORK/tracked.txt" <<'PY' || die "the wheel is incomplete or wrong (see above)"
import ast
import fnmatch
import re
import sys
import zipfile
from pathlib import Path

wheel, root, tracked_list = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
addon = "municipal_complaint"
prefix = f"odoo/addons/{addon}/"
manifest = ast.literal_eval((root / "__manifest__.py").read_text(encoding="utf-8"))
tracked = set(tracked_list.read_text().splitlines())
problems = []

with zipfile.ZipFile(wheel) as zf:
    names = zf.namelist()
    meta_name = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
    metadata = zf.read(meta_name).decode() if meta_name else ""
files = {n[len(prefix):] for n in names if n.startswith(prefix)}
others = [n for n in names if not n.startswith(prefix) and ".dist-info/" not in n]

# name and version: odoo-addon-<addon>, the manifest's version (+ .N commits after it)
dist_name = re.search(r"^Name: (.*)$", metadata, re.M)
dist_version = re.search(r"^Version: (.*)$", metadata, re.M)
if not dist_name or dist_name.group(1) != f"odoo-addon-{addon}":
    problems.append(f"distribution name is {dist_name and dist_name.group(1)!r}, "
                    f"expected 'odoo-addon-{addon}'")
version = manifest.get("version", "")
if not re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", version):
    problems.append(f"manifest version {version!r} is not 19.0.x.y.z")
if not dist_version or not re.fullmatch(re.escape(version) + r"(\.\d+)?", dist_version.group(1)):
    problems.append(f"wheel version {dist_version and dist_version.group(1)!r} "
                    f"does not follow the manifest's {version!r}")
if others:
    problems.append(f"files outside {prefix}: {others[:5]}")

# what the manifest names
expected = {"__init__.py", "__manifest__.py"}
for key in ("data", "demo"):
    expected.update(manifest.get(key, []))
expected.update(manifest.get("images", []))
if manifest.get("icon"):
    expected.add(manifest["icon"].removeprefix(f"/{addon}/"))
for globs in manifest.get("assets", {}).values():
    for pattern in globs:
        if isinstance(pattern, (list, tuple)):  # ('include', ...), ('remove', ...) ...
            pattern = pattern[-1]
        if pattern.startswith(f"{addon}/") and not any(
            fnmatch.fnmatch(f"{addon}/{f}", pattern) for f in files
        ):
            problems.append(f"asset pattern {pattern!r} matches no file in the wheel")
# what the folders hold: every tracked file of i18n/ and static/
expected.update(f for f in tracked if f.startswith(("i18n/", "static/")))
for path in sorted(expected - files):
    hint = "" if path in tracked else " (not under git control: git add it?)"
    problems.append(f"missing in the wheel: {path}{hint}")
# the manifest's folders must really hold something to check
for folder in ("static/description/",):
    if not any(f.startswith(folder) for f in files):
        problems.append(f"nothing under {folder} in the wheel")
# everything whool packs comes from git: nothing of a developer's machine
junk = [f for f in files if re.search(r"(^|/)(\.venv|\.pgdata|\.build|\.git|__pycache__)/|\.pyc$", f)]
if junk:
    problems.append(f"junk in the wheel: {sorted(junk)[:5]}")
untracked = sorted(files - tracked)
if untracked:
    problems.append(f"files in the wheel that git does not track: {untracked[:5]}")

for problem in problems:
    print(f"  - {problem}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"  {dist_name.group(1)} {dist_version.group(1)}: {len(files)} files, "
      f"{len(manifest.get('data', []))} data and {len(manifest.get('demo', []))} demo files, "
      f"i18n and static complete", file=sys.stderr)
PY

# ------------------------------------------------------------------------- 3. install
say "Installing the wheel into a throwaway site folder (pip install --no-deps --target)"
"$VENV/bin/pip" install --no-deps --no-index --quiet --target "$WORK/site" "$WHEEL" >"$WORK/pip-install.log" 2>&1 \
    || { cat "$WORK/pip-install.log" >&2; die "pip install of the wheel failed"; }
[ -f "$WORK/site/odoo/addons/$ADDON/__manifest__.py" ] || die "the wheel did not install odoo/addons/$ADDON"
[ ! -e "$WORK/site/odoo/__init__.py" ] && [ ! -e "$WORK/site/odoo/addons/__init__.py" ] \
    || die "the wheel ships odoo/__init__.py or odoo/addons/__init__.py: it would hide Odoo's namespace"

cat >"$WORK/odoo.conf" <<EOF
[options]
addons_path = $ODOO_PATH/odoo/addons,$ODOO_PATH/addons
data_dir = $WORK/data
db_user = ${PGUSER:-$(id -un)}
EOF
# The addon must come from the wheel: visible once, through the odoo.addons namespace.
PYTHONPATH="$WORK/site" "$VENV/bin/python" - "$WORK/site" "$ADDON" <<'PY' || die "Odoo would not load the addon from the wheel"
import os
import sys

import odoo.addons

site, addon = sys.argv[1], sys.argv[2]
found = [p for p in odoo.addons.__path__ if os.path.isfile(os.path.join(p, addon, "__manifest__.py"))]
if found != [os.path.join(site, "odoo", "addons")]:
    sys.exit(f"  {addon} found in {found}, expected only in the wheel's install folder")
PY

# ------------------------------------------------------------------------- 4. odoo-bin
say "Installing $ADDON from the wheel into the throwaway database $DB"
dropdb --if-exists "$DB" >/dev/null 2>&1 || true
rm -f "$LOG"
PYTHONPATH="$WORK/site" "$VENV/bin/python" "$ODOO_PATH/odoo-bin" -c "$WORK/odoo.conf" -d "$DB" -i "$ADDON" \
    --stop-after-init --no-http --logfile "$LOG" --log-level info \
    || { tail -n 40 "$LOG" >&2; die "odoo-bin failed to install the addon from the wheel (log: $LOG)"; }
# Odoo exits 0 after a failed module load or logged errors: judge the log too.
if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG" >/dev/null; then
    grep -E -A15 '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG" | head -n 80 >&2
    die "installing $ADDON from the wheel logged errors (log: $LOG)"
fi
grep -q "Modules loaded" "$LOG" || { tail -n 40 "$LOG" >&2; die "the registry did not load (log: $LOG)"; }
state=$(psql -XtAc "SELECT state FROM ir_module_module WHERE name='$ADDON'" "$DB")
[ "$state" = installed ] || die "$ADDON is '$state' in $DB after the install, not 'installed' (log: $LOG)"
say "OK: $(basename "$WHEEL") installs and loads in Odoo 19"
