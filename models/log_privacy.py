"""The server log holds no complainant's address.

Odoo's mail gateway logs every incoming e-mail at INFO ("Routing mail from <sender>
to <recipient> with Message-Id ..."), and its mail queue and SMTP client log refused
recipients: for mail to the complaint alias, that tells who complained, in a file
that is kept and copied outside the retention rules. docs/production.md ("Logs")
promises that the log holds no case content. This filter, attached to those loggers
when the addon is loaded, writes each e-mail address the way Odoo itself writes the
recipients of a sent mail (``email_anonymize``: ``j******en@example.com``) and drops
the display names; Message-Ids stay, so a mail can still be traced.

The loggers belong to the server process, so the filter applies to every database it
serves, with or without this addon: it only masks addresses.
"""

import logging
import re

from odoo.tools.mail import email_anonymize, email_normalize, email_split

MASKED_LOGGERS = (
    "odoo.addons.mail.models.mail_thread",
    "odoo.addons.mail.models.mail_mail",
    "odoo.addons.base.models.ir_mail_server",
)

# an address inside free text (a message formatted before logging)
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a Message-Id (<...@host>) is not a person's address
MESSAGE_ID = re.compile(r"^\s*<[^<>\s@]+@[^<>\s]+>\s*$")


def mask_addresses(value, header=True):
    """``value`` with each e-mail address anonymised. A logged argument is a
    header (From, To) or a list of addresses: it becomes just the anonymised
    addresses, without display names. A message formatted before logging
    (``header=False``) keeps its text around the masked addresses."""
    if isinstance(value, (list, tuple, set)):
        return type(value)(mask_addresses(item, header) for item in value)
    if not isinstance(value, str) or "@" not in value or MESSAGE_ID.match(value):
        return value
    if header:
        addresses = email_split(value)
        if addresses:
            return ", ".join(_anonymise(address) for address in addresses)
    return ADDRESS.sub(lambda match: _anonymise(match.group()), value)


def _anonymise(address):
    return email_anonymize(email_normalize(address, strict=False) or address)


class MaskAddressesFilter(logging.Filter):
    """Mask the e-mail addresses of a record's message and arguments."""

    def filter(self, record):
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(mask_addresses(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: mask_addresses(arg) for key, arg in record.args.items()}
        elif not record.args:
            record.msg = mask_addresses(record.msg, header=False)
        return True


def install_filter():
    """Attach the filter once per logger (the module may be imported again)."""
    for name in MASKED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskAddressesFilter) for f in logger.filters):
            logger.addFilter(MaskAddressesFilter())


install_filter()
