from linli.cases.conftest import w  # noqa: F401  the persona district with the case catalogue
from linli.cases.tests.test_indicators import district  # noqa: F401  the hand-counted March 2025 of cases
