from . import complaint_referral_wizard
