"""The public complaint form while the database is away.

When PostgreSQL restarts or fails over, the requests in flight lose their connection:
Odoo rolls their work back and answers with its generic error page. A citizen who
just sent a complaint must know whether it arrived:

- not stored (the error came before or during the commit): a short page in the
  citizen's language, status 503 with ``Retry-After``, that says to send it again;
- stored (the error came after the commit, in what Odoo runs after it, such as
  sending the acknowledgment by e-mail, which then waits in the mail queue): the
  reference, as the thank-you page gives it, so that nobody sends it twice.

Both pages are made without the database (the texts come from the translation
files). Requests that arrive while the database is down never reach an addon: Odoo
answers them itself, and the reverse proxy shows the static page
``static/outage/klacht.html`` for them (docs/production.md, "When the database
restarts").
"""

import re

import psycopg2
from markupsafe import Markup, escape

from odoo import models
from odoo.http import Response, request
from odoo.tools.misc import Callbacks
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
RECEIVED = _lt("Your complaint has been received")
REFERENCE = _lt(
    "Your reference is %(reference)s. Please mention it when you contact us about "
    "your complaint."
)
CONFIRMATION_LATER = _lt(
    "The confirmation by e-mail is delayed: you will receive it a little later."
)

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
%(main)s
</body>
</html>
""")


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """A database error on the complaint form: the page that says whether the
        complaint arrived, before Odoo's error handling, which needs the database
        itself."""
        match = INTAKE_PATH.match(request.httprequest.path) if request else None
        if match:
            stored = getattr(request, "complaint_stored", None)
            if stored and _failed_after_commit(exception):
                return _received_page(match["lang"], stored)
            if _is_database_error(exception):
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


def _failed_after_commit(exception):
    """Whether ``exception`` came from what a cursor runs once its commit succeeded:
    its ``postcommit`` callbacks, which ``commit()`` runs last (odoo/sql_db.py)."""
    tb = exception.__traceback__
    while tb is not None:
        frame, caller = tb.tb_frame, tb.tb_frame.f_back
        if (
            frame.f_code is Callbacks.run.__code__
            and caller is not None
            and caller.f_code.co_name == "commit"
            and getattr(caller.f_locals.get("self"), "postcommit", None)
            is frame.f_locals.get("self")
        ):
            return True
        tb = tb.tb_next
    return False


def _page_lang(url_lang):
    lang = url_lang or request.httprequest.cookies.get("frontend_lang") or DEFAULT_LANG
    if not re.fullmatch(r"[a-z]{2}(_[A-Z]{2})?", lang):
        lang = DEFAULT_LANG
    if len(lang) == 2:
        lang = {"nl": "nl_NL", "en": "en_US"}.get(lang, DEFAULT_LANG)
    return lang


def _page(lang, title, main, status):
    body = PAGE % {
        "html_lang": lang.replace("_", "-"),
        "title": escape(title),
        "main": main,
    }
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
    ]
    if status == 503:
        headers.append(("Retry-After", str(RETRY_AFTER_SECONDS)))
    return Response(str(body), status=status, headers=headers)


def _unavailable_page(url_lang):
    lang = _page_lang(url_lang)
    title = TITLE._translate(lang)
    main = Markup(
        '<main id="complaint_unavailable">\n<h1>%s</h1>\n<p>%s</p>\n<p>%s</p>\n'
        '<a class="button" href="%s">%s</a>\n</main>'
    ) % (
        title,
        EXPLANATION._translate(lang),
        ALTERNATIVE._translate(lang),
        f"/{url_lang}/klacht" if url_lang else "/klacht",
        BACK._translate(lang),
    )
    return _page(lang, title, main, 503)


def _received_page(url_lang, stored):
    lang = _page_lang(url_lang)
    title = RECEIVED._translate(lang)
    reference = (
        Markup('<strong id="complaint_reference">%s</strong>') % (stored["reference"])
    )
    main = Markup('<main id="complaint_received">\n<h1>%s</h1>\n<p>%s</p>\n') % (
        title,
        Markup(escape(REFERENCE._translate(lang)) % {"reference": reference}),
    )
    if stored.get("acknowledged"):
        main += Markup("<p>%s</p>\n") % CONFIRMATION_LATER._translate(lang)
    return _page(lang, title, main + Markup("</main>"), 200)
