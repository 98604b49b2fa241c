from . import test_register
from . import test_access_rules
from . import test_kanban_rpc
