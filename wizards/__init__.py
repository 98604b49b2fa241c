from . import annual_report_wizard
