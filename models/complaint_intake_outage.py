"""The public complaint form while the database is away.

When PostgreSQL restarts or fails over, the requests in flight lose their connection:
Odoo rolls their work back and answers with its generic error page. A citizen who
just sent a complaint must know that it did not arrive and that sending it again is
safe: for ``/klacht`` a database error becomes a short page in the citizen's
language, status 503 with ``Retry-After``, made without the database (the texts come
from the translation files). Nothing of the submission is stored: the transaction
was rolled back (docs/production.md, "When the database restarts").
"""

import re

import psycopg2
from markupsafe import Markup, escape

from odoo import models
from odoo.http import Response, request
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

INTAKE_PATH = re.compile(r"^(?:/(?P<lang>[a-z]{2}(?:_[A-Z]{2})?))?/klacht/?$")
# the Dienst's public speaks Dutch: the page's language when the request names none
DEFAULT_LANG = "nl_NL"
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)

TITLE = _lt("Your complaint could not be sent")
EXPLANATION = _lt(
    "Our system is unavailable for a moment, so your complaint has not been "
    "received. Please try again in a minute: go back to the form, where your text "
    "is probably still there, and send it again."
)
ALTERNATIVE = _lt(
    "Does it keep failing? Call us, or send your complaint by e-mail or by post."
)
BACK = _lt("Back to the complaint form")

PAGE = Markup("""<!DOCTYPE html>
<html lang="%(html_lang)s">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="robots" content="noindex"/>
<title>%(title)s</title>
<style>
body { font-family: sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }
a.button { display: inline-block; margin-top: 1rem; padding: .5rem 1rem;
           background: #35638a; color: #fff; text-decoration: none;
           border-radius: 4px; }
</style>
</head>
<body>
<main id="complaint_unavailable">
<h1>%(title)s</h1>
<p>%(explanation)s</p>
<p>%(alternative)s</p>
<a class="button" href="%(back_url)s">%(back)s</a>
</main>
</body>
</html>
""")


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """A database error on the complaint form: the page that says to try again,
        before Odoo's error handling, which needs the database itself."""
        match = INTAKE_PATH.match(request.httprequest.path) if request else None
        if match and _is_database_error(exception):
            return _unavailable_page(match["lang"])
        return super()._handle_error(exception)


def _is_database_error(exception):
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, DATABASE_ERRORS):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def _unavailable_page(url_lang):
    lang = url_lang or request.httprequest.cookies.get("frontend_lang") or DEFAULT_LANG
    if not re.fullmatch(r"[a-z]{2}(_[A-Z]{2})?", lang):
        lang = DEFAULT_LANG
    if len(lang) == 2:
        lang = {"nl": "nl_NL", "en": "en_US"}.get(lang, DEFAULT_LANG)
    body = PAGE % {
        "html_lang": lang.replace("_", "-"),
        "title": escape(TITLE._translate(lang)),
        "explanation": escape(EXPLANATION._translate(lang)),
        "alternative": escape(ALTERNATIVE._translate(lang)),
        "back": escape(BACK._translate(lang)),
        "back_url": f"/{url_lang}/klacht" if url_lang else "/klacht",
    }
    return Response(
        str(body),
        status=503,
        headers=[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Retry-After", str(RETRY_AFTER_SECONDS)),
            ("Cache-Control", "no-store"),
        ],
    )
