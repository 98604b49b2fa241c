from . import annual_report
from . import report_pdf
