from . import test_register
from . import test_figures
from . import test_annual_report
