from linli.cases.conftest import w  # noqa: F401  the persona district with the case catalogue
