from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The shipped outcome "Complaint withdrawn" (a ``noupdate`` record) gets the new
    flag that keeps such cases for the short retention term."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    outcome = env.ref(
        "municipal_complaint.outcome_ingetrokken", raise_if_not_found=False
    )
    if outcome:
        outcome.write({"is_withdrawal": True})
