#!/usr/bin/env bash
# pre-commit hook: `msgfmt --check` on the .po/.pot files it is given (format strings, headers,
# plural forms), when GNU gettext is installed; skipped with a note otherwise (oca-checks-po
# still checks their syntax).
set -euo pipefail
if ! command -v msgfmt >/dev/null 2>&1; then
    echo "msgfmt not found (Debian package gettext): skipped"
    exit 0
fi
rc=0
for po in "$@"; do
    msgfmt --check --output-file=/dev/null "$po" || rc=1
done
exit $rc
