from . import test_register
from . import test_deadlines
from . import test_holidays
from . import test_postpone
from . import test_acknowledgment
from . import test_deadline_cron
