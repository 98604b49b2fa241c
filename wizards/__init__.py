from . import complaint_postpone_wizard
