"""The layers of Renkei's code (docs/adr/0009-layers.md, drawn in docs/development/README.md).

Every module under ``renkei/`` is read with ``ast``; every import, at any level (inside
functions too, relative or absolute), is checked:

- a module may import its own app and any lower layer, never a higher one, and never
  another app of its own layer (the audience apps do not import each other);
- inside an app, modules do not import each other in a cycle.

There is no list of exceptions: a new import that breaks a rule moves the code instead.

The tests follow one rule of their own: a test module (``test_*.py``) never imports another
test module; what two share lives in a helper module (tests/helpers/, a directory's
``helpers.py``) or a conftest fixture, so that moving or deleting a test breaks no other.
"""

import ast
from pathlib import Path

RENKEI = Path(__file__).resolve().parents[2] / "renkei"
TESTS = RENKEI.parent / "tests"

# Lowest first. Project-level modules (renkei/*.py) are infrastructure at the bottom and
# import no app, except the wiring, which is at the top.
LAYERS: list[set[str]] = [
    {"<infrastructure>"},  # wareki, errors, changes, files, forms, public_http, middleware …
    {"tenancy"},
    {"audit"},
    {"programmes"},
    {"finance"},
    {"inquiries"},  # the 照会: makes records of programmes and finance, read by the report
    {"reports"},
    {"staff", "portal", "opendata", "api"},  # the audiences: over the domain, not each other
    {"operations"},  # backup, restore, the year loader: the whole installation
    {"<wiring>"},  # settings, urls, wsgi, cli, apps: they name every app
]
WIRING = {"settings", "urls", "wsgi", "cli", "apps"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_modules(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root`` by dotted name."""
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports (a ``from X import y`` of a submodule
    ``X.y`` counts as importing ``X.y``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # renkei.x.y.Name → renkei.x.y
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def unit_of(name: str) -> str:
    """The app a module belongs to, or the project level it is on."""
    parts = name.split(".")
    if len(parts) > 1 and (RENKEI / parts[1]).is_dir():
        return parts[1]
    return "<wiring>" if parts[-1] in WIRING and len(parts) == 2 else "<infrastructure>"


def layer_of(unit: str) -> int:
    for level, units in enumerate(LAYERS):
        if unit in units:
            return level
    raise AssertionError(f"renkei/{unit} is in no layer: add it to LAYERS and the ADR")


def upward_imports(graph: dict[str, set[str]], unit=unit_of) -> list[str]:
    problems = []
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            a, b = unit(source), unit(target)
            if a != b and layer_of(b) >= layer_of(a):
                problems.append(f"{source} ({a}) imports {target} ({b})")
    return problems


def cycles_inside_apps(graph: dict[str, set[str]], unit=unit_of) -> list[list[str]]:
    """Strongly connected groups of more than one module, over imports inside one app."""
    inner = {s: {t for t in ts if unit(t) == unit(s)} for s, ts in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def visit(node: str) -> None:  # Tarjan
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(inner.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(inner):
        if node not in index:
            visit(node)
    return groups


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = read_modules(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def test_no_lower_layer_imports_a_higher_one():
    problems = upward_imports(import_graph(RENKEI))
    assert not problems, "\n".join(problems)


def test_no_import_cycle_inside_an_app():
    cycles = cycles_inside_apps(import_graph(RENKEI))
    assert not cycles, "\n".join(" ↔ ".join(group) for group in cycles)


def test_every_app_has_a_layer():
    for path in RENKEI.iterdir():
        if (path / "__init__.py").exists():
            layer_of(path.name)


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "renkei" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "renkei"


def test_the_check_sees_lazy_relative_and_audience_imports(tmp_path):
    root = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "wareki.py": "",
            "tenancy/__init__.py": "",
            "tenancy/models.py": "",
            "tenancy/services.py": "def f():\n    from renkei.portal import views\n",
            "portal/__init__.py": "",
            "portal/views.py": "from ..tenancy.models import x\n",
            "api/__init__.py": "",
            "api/views.py": "from renkei.portal.views import y\n",
        },
    )
    graph = import_graph(root)
    assert upward_imports(graph, unit=lambda n: unit_in(n, root)) == [
        "renkei.api.views (api) imports renkei.portal.views (portal)",
        "renkei.tenancy.services (tenancy) imports renkei.portal.views (portal)",
    ]


def test_the_check_finds_a_cycle_through_a_package(tmp_path):
    root = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "reports/__init__.py": "",
            "reports/renderers/__init__.py": "def render():\n    from .pdf import render_pdf\n",
            "reports/renderers/pdf.py": "from . import FONT\n",
            "reports/renderers/fonts.py": "",
            "reports/renderers/html.py": "from . import fonts\n",
        },
    )
    assert cycles_inside_apps(import_graph(root), unit=lambda n: unit_in(n, root)) == [
        ["renkei.reports.renderers", "renkei.reports.renderers.pdf"]
    ]


def unit_in(name: str, root: Path) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and (root / parts[1]).is_dir() else "<infrastructure>"


def is_test_module(name: str) -> bool:
    return name.rpartition(".")[2].startswith("test_")


def imported_test_modules(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{source} imports {target}"
        for source, targets in sorted(graph.items())
        for target in sorted(targets)
        if is_test_module(target)
    ]


def test_no_test_module_imports_another():
    problems = imported_test_modules(import_graph(TESTS))
    assert not problems, "\n".join(problems)


def test_the_check_sees_a_test_module_imported_lazily_or_relatively(tmp_path):
    files = {
        "__init__.py": "",
        "helpers.py": "",
        "staff/__init__.py": "",
        "staff/helpers.py": "from tests.helpers import x\n",
        "staff/test_a.py": "from .helpers import y\nfrom tests.reports.test_b import z\n",
        "staff/test_c.py": "def test_c():\n    from . import test_a\n",
        "reports/__init__.py": "",
        "reports/test_b.py": "import tests.helpers\n",
    }
    for name, text in files.items():
        path = tmp_path / "tests" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert imported_test_modules(import_graph(tmp_path / "tests")) == [
        "tests.staff.test_a imports tests.reports.test_b",
        "tests.staff.test_c imports tests.staff.test_a",
    ]
