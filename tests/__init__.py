from . import test_register
