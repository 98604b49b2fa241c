"""Run OCA's ``oca-checks-odoo-module`` on this addon, whose folder is the git root.

The checker looks for ``__manifest__.py`` in the folders of each file up to, but not
including, the git root, so it never finds an addon at the root and checks nothing,
successfully. This copies the addon's tracked files into ``<tmp>/municipal_complaint/``
below a fake git root, runs the checker there on the files pre-commit gave, reports
paths relative to the repository, and copies back what the checker's ``--fix`` repaired
(XML headers, numeric fields without ``eval``: what OCA's prettier would fix), so that
pre-commit fails once, showing the diff, and passes on the next run. Run by pre-commit
in the environment that has oca-odoo-pre-commit-hooks (.pre-commit-config.yaml).
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = "municipal_complaint"


def main(argv):
    options = [a for a in argv if a.startswith("-")]
    files = [a for a in argv if not a.startswith("-")]
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    with tempfile.TemporaryDirectory(prefix="oca-checks-") as tmp:
        top = Path(tmp).resolve()
        (top / ".git").mkdir()  # where the checker stops walking up
        addon = top / ADDON
        copies = {}
        for name in filter(None, tracked):
            source = ROOT / name
            if source.is_file() and not source.is_symlink():
                target = addon / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
                copies[source] = target
        if not (addon / "__manifest__.py").is_file():
            sys.exit("__manifest__.py is not under git control")
        targets = [str(addon / f) for f in files if (addon / f).exists()] or [
            str(addon)
        ]
        result = subprocess.run(
            [sys.executable, "-m", "oca_pre_commit_hooks.cli", *options, *targets],
            capture_output=True,
            text=True,
            check=False,
        )
        for stream, text in ((sys.stdout, result.stdout), (sys.stderr, result.stderr)):
            text = text.replace(f"{addon}/", "").replace(str(addon), ".")
            stream.write(re.sub(rf"^{ADDON}/", "", text, flags=re.M))
        for source, target in copies.items():
            fixed = target.read_bytes()
            if fixed != source.read_bytes():
                source.write_bytes(fixed)
                sys.stdout.write(f"fixed {source.relative_to(ROOT)}\n")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
