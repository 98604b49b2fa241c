from . import test_register
from . import test_closing
from . import test_closing_letters
from . import test_closing_analysis
from . import test_ombudsman
from . import test_improvement
from . import test_story
