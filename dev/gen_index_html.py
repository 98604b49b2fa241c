#!/usr/bin/env python3
"""Make static/description/index.html, the addon's Apps page, from readme/*.md.

OCA's oca-gen-addon-readme does this for OCA repositories, but it is not published on
PyPI; this script follows its layout (description, table of contents, the fragments in
OCA's order, bug tracker, credits) with the `markdown` package.

    python dev/gen_index_html.py           # write static/description/index.html
    python dev/gen_index_html.py --check   # fail when it is not up to date (make lint)
"""

import argparse
import ast
import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "static" / "description" / "index.html"
# (fragment, heading): OCA's order; DESCRIPTION comes first, without a heading
FRAGMENTS = [
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
]
STYLE = """
body { font-family: sans-serif; line-height: 1.45; max-width: 60em; margin: 1em auto;
       padding: 0 1em; color: #222; }
h1.title { font-size: 1.8em; }
.badges span { display: inline-block; background: #555; color: #fff; border-radius: 3px;
               padding: 0.1em 0.5em; margin-right: 0.3em; font-size: 0.85em; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left;
         vertical-align: top; }
code { background: #f4f4f4; padding: 0 0.2em; }
img { max-width: 100%; border: 1px solid #ddd; }
"""


def _manifest():
    return ast.literal_eval((ROOT / "__manifest__.py").read_text(encoding="utf-8"))


def _fragment(name):
    path = ROOT / "readme" / f"{name}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _to_html(text):
    import markdown  # the harness venv has it (requirements-test.txt)

    body = markdown.markdown(
        text, extensions=["tables", "fenced_code", "sane_lists"], output_format="html"
    )
    # images: readme/ links them as ../static/description/<file>, index.html sits there
    body = body.replace('src="../static/description/', 'src="')
    # fragment headings sit below the section headings added here
    return re.sub(
        r"<(/?)h([1-4])>",
        lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}>",
        body,
    )


def _slug(title):
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def render():
    manifest = _manifest()
    esc = html.escape
    website = manifest.get("website", "")
    sections = []
    for name, title in FRAGMENTS:
        text = _fragment(name)
        if text:
            sections.append((title, _to_html(text)))
    if website.startswith("https://github.com/"):
        sections.append(
            (
                "Bug Tracker",
                f'<p>Bugs are tracked on <a href="{esc(website)}/issues">the issues of '
                "the repository</a>. Please check there whether your problem is "
                "already known, and describe a new one with the steps that reproduce "
                "it.</p>",
            )
        )
    credit_parts = [
        "<h3>Authors</h3>",
        "<ul>",
        *(f"<li>{esc(a.strip())}</li>" for a in manifest["author"].split(",")),
        "</ul>",
    ]
    contributors = _fragment("CONTRIBUTORS")
    if contributors:
        credit_parts += ["<h3>Contributors</h3>", _to_html(contributors)]
    other_credits = _fragment("CREDITS")
    if other_credits:
        credit_parts += ["<h3>Other credits</h3>", _to_html(other_credits)]
    if manifest.get("maintainers"):
        credit_parts += [
            "<h3>Maintainers</h3>",
            "<p>This module is maintained by: "
            + ", ".join(
                f'<a href="https://github.com/{esc(m)}">{esc(m)}</a>'
                for m in manifest["maintainers"]
            )
            + ".</p>",
        ]
    sections.append(("Credits", "\n".join(credit_parts)))

    badges = [manifest.get("development_status"), f"License: {manifest['license']}"]
    toc = "\n".join(
        f'<li><a href="#{_slug(title)}">{esc(title)}</a></li>' for title, _ in sections
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8"/>',
        '<meta name="generator" content="dev/gen_index_html.py"/>',
        f"<title>{esc(manifest['name'])}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<!-- Generated from readme/*.md by dev/gen_index_html.py: do not edit. -->",
        '<div class="document">',
        f'<h1 class="title">{esc(manifest["name"])}</h1>',
        '<p class="badges">'
        + "".join(f"<span>{esc(b)}</span>" for b in badges if b)
        + (f' <a href="{esc(website)}">{esc(website)}</a>' if website else "")
        + "</p>",
        f"<p><strong>{esc(manifest['summary'])}</strong></p>",
        _to_html(_fragment("DESCRIPTION") or ""),
        '<div class="contents">',
        "<p><strong>Table of contents</strong></p>",
        f"<ul>\n{toc}\n</ul>",
        "</div>",
    ]
    for title, body in sections:
        parts += [f'<h2 id="{_slug(title)}">{esc(title)}</h2>', body]
    parts += ["</div>", "</body>", "</html>", ""]
    return "\n".join(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="fail when index.html is not up to date"
    )
    args = parser.parse_args(argv)
    if not (ROOT / "readme" / "DESCRIPTION.md").is_file():
        sys.exit("readme/DESCRIPTION.md is missing")
    content = render()
    current = TARGET.read_text(encoding="utf-8") if TARGET.is_file() else None
    if args.check:
        if current != content:
            sys.exit(
                f"{TARGET.relative_to(ROOT)} is not up to date with readme/: "
                "run `python dev/gen_index_html.py` and commit the result"
            )
        return
    if current != content:
        TARGET.write_text(content, encoding="utf-8")
        sys.stdout.write(f"wrote {TARGET.relative_to(ROOT)}\n")


if __name__ == "__main__":
    main()
