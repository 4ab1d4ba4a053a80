"""Every endpoint of /api/v1/ has its permission matrix (issue #4, DESIGN §9).

An endpoint is a router registration (its basename, e.g. ``status-decision``) or a plain named
path of an app's ``api/urls.py`` (e.g. ``case-timeline``). It is covered by a test class in
``tests/api/test_*.py`` that names it in ``basename``:

- an ``EndpointMatrix`` subclass (tests/api/matrix.py): every resource of case data; or
- a plain test class that declares ``matrix_exempt_reason = "..."``, saying why the inherited
  matrix does not fit, and that tests every user and method itself (``covers_endpoint`` is
  accepted in place of ``basename`` on such a class). The opt-out is for endpoints outside
  the access choke point (the deadline rules: public law, the same for everyone) or that write
  nothing (the case timeline). An exempt endpoint behind ``visible_to`` that accepts a write
  fails here.
"""

import importlib
import inspect
import pkgutil
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver

import casetracker.api.urls
import tests.api
from tests.api.matrix import EndpointMatrix

WRITE_METHODS = {"post", "put", "patch", "delete"}


@dataclass
class Endpoint:
    methods: set[str] = field(default_factory=set)  # besides HEAD and OPTIONS
    verbs: set[str] = field(default_factory=set)  # POST …/<id>/<verb>/
    case_data: bool = True  # behind the access choke point (or unknown)


def _is_case_data(view) -> bool:
    """Data behind the access choke point (``visible_to``), or a view that does not say."""
    queryset = getattr(view, "queryset", None)
    return queryset is None or hasattr(queryset, "visible_to")


def endpoints() -> dict[str, Endpoint]:
    """Every endpoint of /api/v1/ by name."""
    found: dict[str, Endpoint] = {}
    for include in casetracker.api.urls.urlpatterns:
        assert isinstance(include, URLResolver), include
        module = include.urlconf_module
        router = getattr(module, "router", None)
        routed = {p.name for p in router.urls} if router else set()
        for _prefix, viewset, basename in router.registry if router else []:
            endpoint = found.setdefault(basename, Endpoint(case_data=_is_case_data(viewset)))
            endpoint.verbs = {
                extra.url_name
                for extra in viewset.get_extra_actions()
                if extra.detail and "post" in extra.mapping
            }
            for pattern in router.urls:
                view = pattern.callback
                if view.cls is viewset:
                    # An action may narrow or widen the viewset's methods. DRF adds "head" to
                    # ``actions`` once the view has served a GET: leave it out either way.
                    allowed = view.initkwargs.get("http_method_names", viewset.http_method_names)
                    endpoint.methods |= set(view.actions) & set(allowed) - {"head", "options"}
        for pattern in module.urlpatterns:
            if isinstance(pattern, URLPattern) and pattern.name not in routed:
                assert pattern.name, f"{module.__name__}: every API path needs a name: {pattern}"
                view = pattern.callback.view_class
                methods = {m for m in view.http_method_names if hasattr(view, m)}
                found[pattern.name] = Endpoint(
                    methods=methods - {"head", "options"}, case_data=_is_case_data(view)
                )
    return found


def endpoint_of(cls: type) -> str:
    return getattr(cls, "basename", "") or getattr(cls, "covers_endpoint", "")


def covering_classes() -> list[type]:
    """Every test class of tests/api that names the endpoint it covers."""
    classes = []
    for module_info in pkgutil.iter_modules(tests.api.__path__):
        if not module_info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"tests.api.{module_info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and endpoint_of(cls):
                classes.append(cls)
    return classes


def uncovered(known: dict[str, Endpoint], classes: list[type]) -> list[str]:
    covered = {endpoint_of(cls) for cls in classes}
    return sorted(name for name in known if name not in covered)


def test_every_endpoint_has_a_permission_matrix():
    missing = uncovered(endpoints(), covering_classes())
    assert not missing, (
        f"These /api/v1/ endpoints have no permission matrix: {missing}. Add a "
        "Test<Resource>(EndpointMatrix) class with basename = '<name>' in tests/api/."
    )


def test_every_matrix_names_an_existing_endpoint():
    known = endpoints()
    stale = sorted(
        f"{cls.__module__}.{cls.__name__} ({endpoint_of(cls)})"
        for cls in covering_classes()
        if endpoint_of(cls) not in known
    )
    assert not stale, f"These test classes cover no endpoint: {stale}"


def test_opt_outs_are_explained_and_fit():
    known = endpoints()
    for cls in covering_classes():
        name, reason = endpoint_of(cls), getattr(cls, "matrix_exempt_reason", "")
        if issubclass(cls, EndpointMatrix):
            assert not reason, f"{cls.__name__} is an EndpointMatrix and opts out of it"
            continue
        assert isinstance(reason, str) and reason.strip(), (
            f"{cls.__module__}.{cls.__name__} covers {name!r} but is not an EndpointMatrix: "
            "subclass EndpointMatrix, or say why not in matrix_exempt_reason = '...'"
        )
        endpoint = known.get(name)
        if endpoint is not None and endpoint.case_data:
            writes = sorted(endpoint.methods & WRITE_METHODS)
            assert not writes, (
                f"{name} is case data and accepts {writes}: it needs the EndpointMatrix, "
                f"whatever {cls.__name__}.matrix_exempt_reason says"
            )


def test_every_verb_is_in_its_matrix():
    """A verb (``POST …/<id>/end/``) is a write like PATCH: each one is called by every user of
    the matrix, so a verb that forgets its permission check fails there."""
    known = endpoints()
    for cls in covering_classes():
        if not issubclass(cls, EndpointMatrix):
            continue
        declared, offered = set(cls.verbs), known[cls.basename].verbs
        assert declared == offered, (
            f"{cls.__name__}: the viewset's verbs are {sorted(offered)}, its matrix names "
            f"{sorted(declared)} in verbs = {{...}}"
        )


def test_the_coverage_check_sees_every_kind_of_endpoint():
    """Guard the guard: router endpoints, actions and plain paths are all found, and an
    endpoint without its class is reported."""
    known = endpoints()
    assert {"detention", "status-decision", "case-timeline"} <= set(known)
    assert known["case-timeline"].methods == {"get"}
    assert known["case-timeline"].case_data
    assert known["interim-measure"].methods == {"get", "post", "patch", "put", "delete"}
    assert known["interim-measure"].case_data
    assert known["interim-measure"].verbs == {"lift"}
    assert known["deadline"].verbs == {"met", "override", "missed", "reopen"}
    without_rulings = [c for c in covering_classes() if c.__module__ != "tests.api.test_rulings"]
    assert uncovered(known, without_rulings) == [
        "committee-decision",
        "complaint",
        "interim-measure",
        "status-decision",
    ]
