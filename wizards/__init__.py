from . import complaint_config_wizard
