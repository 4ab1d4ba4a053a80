"""Dependencies point one way (DESIGN §3, issue #9): casetracker ← organisations ← people ←
cases ← rulings. No app imports a module of an app above it, and none names a model of an app
above it by string (``apps.get_model("cases", …)``, ``"cases.Case"``).

The string crossings that issue #9 has not yet removed are listed in ``NOT_YET_REMOVED``: the
test fails on any crossing not in the list, and on a listed one that is gone (so the list only
shrinks).
"""

import ast
import inspect
import re
from pathlib import Path

from cases.safety import _checks
from cases.services import proceedings
from rulings.alerts import person_endangered

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["casetracker", "organisations", "people", "cases", "rulings", "workspace"]
# ``apps.get_model("cases", "Case")``, ``"cases.Case"`` and ``"cases.case"`` (a lazy foreign
# key, a setting, a stored label).
GET_MODEL = re.compile(r"""get_model\(\s*["'](\w+)["']""")
LABEL = re.compile(r"""["'](\w+)\.(\w+)["']""")
# file: number of string crossings still there (issue #9, item 3: people's visibility and
# filters read cases' Case and CaseParty).
NOT_YET_REMOVED: dict[str, int] = {}


def _sources():
    for app in ORDER:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(ORDER)


def test_no_app_imports_an_app_above_it():
    upward = {
        str(path.relative_to(ROOT)): sorted(
            other for other in _imported_apps(path) if ORDER.index(other) > ORDER.index(app)
        )
        for app, path in _sources()
    }
    assert {path: apps for path, apps in upward.items() if apps} == {}


# The project's wiring names every app by design: INSTALLED_APPS, the URL includes, the
# timeline's event model (CASETRACKER_EVENT_MODEL), ABSOLUTE_URL_OVERRIDES.
WIRING = {"casetracker/settings.py", "casetracker/urls.py"}


def _string_crossings() -> dict[str, int]:
    crossings = {}
    for app, path in _sources():
        if str(path.relative_to(ROOT)) in WIRING:
            continue
        text = path.read_text()
        named = [m.group(1) for m in GET_MODEL.finditer(text)]
        named += [m.group(1) for m in LABEL.finditer(text)]
        above = [
            other for other in named if other in ORDER and ORDER.index(other) > ORDER.index(app)
        ]
        if above:
            crossings[str(path.relative_to(ROOT))] = len(above)
    return crossings


def test_no_app_names_a_model_above_it_by_string():
    crossings = _string_crossings()
    new = {path: n for path, n in crossings.items() if n > NOT_YET_REMOVED.get(path, 0)}
    gone = {path: n for path, n in NOT_YET_REMOVED.items() if crossings.get(path, 0) < n}
    assert new == {}, "a string reaches a model of an app above this one: import it downward"
    assert gone == {}, "crossings removed: lower their count in NOT_YET_REMOVED"


def test_organisations_is_the_bottom_of_the_domain():
    """Nothing of people, cases or rulings is named in organisations, by import or string."""
    for _app, path in _sources():
        if path.is_relative_to(ROOT / "organisations"):
            assert _imported_apps(path) <= {"casetracker", "organisations"}, path
            assert str(path.relative_to(ROOT)) not in _string_crossings(), path


def test_the_breach_alarm_is_named_by_every_service_that_can_cause_one():
    """Issue #9 item 5: the services that can remove or threaten a person call the safety
    check that rulings registers (cases/safety.py) at their call site, not through a signal."""

    services = [
        proceedings.detention_create,
        proceedings.detention_update,
        proceedings.detention_end,
        proceedings.extradition_request_create,
        proceedings.extradition_request_update,
        proceedings.extradition_request_surrender,
    ]
    silent = [
        s.__name__ for s in services if "then=person_safety_check" not in inspect.getsource(s)
    ]
    assert silent == []
    assert _checks == [person_endangered]
    assert not (ROOT / "cases" / "signals.py").exists()


def _module_graph() -> dict[str, set[str]]:
    """Every module of the apps and the modules it imports, at module level or inside a
    function alike (a function's import is a circle that only waits for its first call)."""
    modules = {}
    for _app, path in _sources():
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                edges |= {alias.name for alias in node.names if alias.name in modules}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    if target in modules:
                        edges.add(target)
                    elif node.module in modules:
                        edges.add(node.module)
        graph[name] = edges - {name}
    return graph


def test_no_import_circle():
    """Issue #9 item 6: a module never imports, even inside a function, a module that imports
    it back (directly or through others)."""
    graph = _module_graph()
    circles, seen = [], set()
    for start in sorted(graph):
        # Depth-first from each module; a path that comes back to ``start`` is a circle.
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph[node]):
                if nxt == start:
                    circle = frozenset(path)
                    if circle not in seen:
                        seen.add(circle)
                        circles.append(" -> ".join([*path, start]))
                elif nxt not in path and nxt > start:
                    stack.append((nxt, [*path, nxt]))
    assert circles == []
