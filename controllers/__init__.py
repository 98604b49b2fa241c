from . import intake
from . import portal
from . import intake_outage
