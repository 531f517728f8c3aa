"""The import rules and the single homes of roles and scope (docs/architecture.md), checked on the source.

- No import cycles: neither between apps nor between the modules of one app (selectors ↔ services).
- Production code never imports tests or `linli.testing`.
- Pure rules (`rules.py`, `rules/`) import no models and no database API.
- Pages and API endpoints (`views`, `api`) import no other app's models: they read through that app's selectors and
  write through its services.
- Region scope ("this region lies in that subtree": a path prefix) is decided in `accounts/scope.py` and the regions
  app's tree code only; role names are compared in `accounts/roles.py` only, lookups by role take `Role` members
  (not strings), and templates test no role (the view passes a flag).
"""

import ast
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[2]
PACKAGE = SRC / "linli"
APPS = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name not in ("tests", "testing"))


def _is_test_code(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or "testing" in parts or parts[-1] == "conftest" or "migrations" in parts


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("linli", include_external_packages=True, cache_dir=None)


@cache
def production_edges() -> dict[str, set[str]]:
    g = graph()
    edges = defaultdict(set)
    for module in g.modules:
        if not module.startswith("linli") or _is_test_code(module):
            continue
        edges[module] = {m for m in g.find_modules_directly_imported_by(module) if m.startswith("linli.")}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in list(edges):
        if v not in index:
            visit(v)
    return found


def test_cycles_finds_a_cycle_and_only_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_apps():
    apps = defaultdict(set)
    for module, imported in production_edges().items():
        apps[_app(module)] |= {_app(m) for m in imported if _app(m) != _app(module)}
    assert cycles(apps) == []


def test_no_import_cycle_between_modules():
    assert cycles(production_edges()) == []


def test_production_code_never_imports_tests():
    offending = [
        (module, m)
        for module, imported in production_edges().items()
        for m in imported
        if _is_test_code(m) and "migrations" not in m
    ]
    assert offending == []


def _is_rules(module: str) -> bool:
    return "rules" in module.split(".")


# Rules say their messages and labels through the translation catalogue (docs/accessibility.md); that is the one
# part of Django they may use: it reads the catalogue, never the database.
TRANSLATION = ("from django.utils.translation import", "from django.utils.text import format_lazy")


def test_rules_import_no_models_and_no_database():
    """Pure rules import other pure code only: no Django but its translation functions, no models, no services or
    selectors."""
    g = graph()
    offending = []
    for module, imported in production_edges().items():
        if not _is_rules(module):
            continue
        offending += [(module, m) for m in imported if m.split(".")[-1] in ("models", "services", "selectors")]
        offending += [
            (module, d["line_contents"])
            for d in g.get_import_details(importer=module, imported="django")
            if not d["line_contents"].startswith(TRANSLATION)
        ]
    assert offending == []


def _is_page_or_api(module: str) -> bool:
    last = module.split(".")[-1]
    return last in ("views", "api") or last.endswith(("_views", "_api"))


def test_views_and_api_import_no_other_apps_models():
    offending = [
        (module, m)
        for module, imported in production_edges().items()
        if _is_page_or_api(module)
        for m in imported
        if m.endswith(".models") and _app(m) != _app(module)
    ]
    assert offending == []


# ---------------------------------------------------------------- the single homes of scope and roles


def _production_sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(SRC).with_suffix("").parts)
        if not _is_test_code(module):
            yield path, module


SUBTREE_TEST = re.compile(r"path__startswith|\.path\.startswith")
# The regions modules that hold tree code (today only a comment in the model explaining the path).
SCOPE_HOMES = ("linli.accounts.scope", "linli.regions.models")


@pytest.mark.parametrize("app", APPS)
def test_subtree_tests_live_in_the_scope_module(app):
    offending = [
        f"{module}:{n}"
        for path, module in _production_sources()
        if _app(module) == app and not module.startswith(SCOPE_HOMES)
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if SUBTREE_TEST.search(line)
    ]
    assert offending == []


ROLE_VALUES = (
    "admin",
    "district_staff",
    "street_staff",
    "community_worker",
    "grid_worker",
    "dept_handler",
    "company_staff",
    "resident",
)
ROLE_HOME = "linli.accounts.roles"


def _is_role_name(node) -> bool:
    """A role-name string, or a tuple/list/set holding one."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_role_name(e) for e in node.elts)
    return isinstance(node, ast.Constant) and node.value in ROLE_VALUES


ROLE_LOOKUP = re.compile(r"(^|__)role(__in)?$")


class _RoleComparisons(ast.NodeVisitor):
    """Comparisons with a role: `x.role == …`, `role in (…)`, `… == "street_staff"`, `is_superuser` reads, and role
    names written as strings in a lookup (`filter(role="street_staff")`, `role__in=(…)`): those take Role members."""

    def __init__(self):
        self.found = []

    def visit_Compare(self, node):
        for operand in (node.left, *node.comparators):
            if _names_role(operand) or _is_role_name(operand):
                self.found.append(node.lineno)
                break
        self.generic_visit(node)

    def visit_Call(self, node):
        if any(k.arg and ROLE_LOOKUP.search(k.arg) and _is_role_name(k.value) for k in node.keywords):
            self.found.append(node.lineno)
        self.generic_visit(node)

    def visit_Attribute(self, node):
        if node.attr == "is_superuser" and isinstance(node.ctx, ast.Load):
            self.found.append(node.lineno)
        self.generic_visit(node)


def _names_role(node) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "role") or (
        isinstance(node, ast.Name) and node.id == "role"
    )


@pytest.mark.parametrize("app", APPS)
def test_roles_are_compared_in_the_roles_module_only(app):
    offending = []
    for path, module in _production_sources():
        if _app(module) != app or module == ROLE_HOME:
            continue
        visitor = _RoleComparisons()
        visitor.visit(ast.parse(path.read_text()))
        offending += [f"{module}:{n}" for n in visitor.found]
    assert offending == []


def test_the_role_check_finds_comparisons_and_lookups():
    source = (
        'a = user.role == "admin"\nb = role in ("street_staff",)\nc = u.is_superuser\nd = x == "street_staff"\n'
        'e = U.objects.filter(role__in=("grid_worker", "x"))\nf = Q(user__role="admin")\n'
        'g = U.objects.filter(role=Role.ADMIN, username="admin")\n'
    )
    visitor = _RoleComparisons()
    visitor.visit(ast.parse(source))
    assert visitor.found == [1, 2, 3, 4, 5, 6]


def test_the_role_names_are_those_of_the_role_enum():
    from linli.accounts.roles import Role

    assert set(ROLE_VALUES) == set(Role.values)


TEMPLATE_ROLE_TEST = re.compile(r"\buser\.role\b|is_superuser")


def test_templates_do_not_test_roles():
    """Whether to offer something is the view's (its selector's) answer, passed as a flag."""
    offending = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in sorted(PACKAGE.glob("**/templates/**/*.html"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if TEMPLATE_ROLE_TEST.search(line)
    ]
    assert offending == []
