from . import test_register
from . import test_intake
from . import test_mail_intake
from . import test_portal
from . import test_referral
