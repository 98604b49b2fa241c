from . import complaint_config_wizard
from . import complaint_close_wizard
from . import complaint_ombudsman_wizard
from . import complaint_reopen_wizard
from . import complaint_referral_wizard
from . import annual_report_wizard
from . import complaint_postpone_wizard
from . import complaint_contact_wizard
