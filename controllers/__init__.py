from . import intake
from . import portal
from . import portal_chatter
from . import inzage
from . import intake_outage
