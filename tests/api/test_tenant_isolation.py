"""Bob never opens or changes alice's things through any URL that takes an id.

Every URL pattern of the project is enumerated (admin aside: tests/marketing/test_tenancy.py
checks it model by model). Each id in a pattern is filled with alice's row, named by the
path segment before it (``pieces/<int:pk>`` is a piece); other arguments get a value that
works (bob's own client link for a ``token``). Bob must be refused (404, 403; 405 for a
method the route never takes; 410 for a client link that does not cover the row) for GET
and POST on pages, and for every method an API route serves; alice's rows must be the
same afterwards.

A new pattern with an argument nobody described here fails
``test_every_url_argument_is_known`` until it is added to ROWS or VALUES.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from content.client_links import token_for
from marketing.selectors import is_tenant_owned, tenant_path_of
from tests.api.conftest import World
from tests.conftest import Tenant

# Checked elsewhere (admin), or holding no tenant's rows.
SKIPPED_PREFIXES = ("admin/", "accounts/", "i18n/", "media/", "static/")

# The row an id names, by the path segment just before it.
ROWS: dict[str, Callable[[World], int]] = {
    "businesses": lambda w: w.tenant.business.pk,
    "start": lambda w: w.tenant.business.pk,  # the first-run wizard of a shop
    "campaigns": lambda w: w.campaign.pk,
    "pieces": lambda w: w.piece.pk,
    "publications": lambda w: w.publication.pk,
    "channels": lambda w: w.account.pk,  # channels/<pk>/disconnect/
    "channel-accounts": lambda w: w.account.pk,
    "photos": lambda w: w.photo.pk,
    "voice-memos": lambda w: w.voice_memo.pk,
    "reports": lambda w: w.report.pk,
    "client-links": lambda w: w.client_link.pk,
}
# Arguments that are no id of the victim's: (alice's world, bob's world) -> value.
VALUES: dict[str, Callable[[World, World], object]] = {
    "platform": lambda alices, bobs: "threads",
    "week": lambda alices, bobs: alices.report.week,
    "number": lambda alices, bobs: 1,  # a revision of the piece in the path
    "token": lambda alices, bobs: token_for(bobs.client_link),  # bob's own, valid link
}
# Pages that show only a row in a certain state: alice's own GET may be a 404 there.
STATE_DEPENDENT = {
    "publications:assisted",  # a publication waiting for the owner to post it
    "analytics:owner_metrics",  # a Naver Blog post, whose numbers the owner types in
    "analytics:report_pdf",  # a report whose PDF was made
}
ID_ARGUMENT = re.compile(r"^(pk|.+_pk|id|.+_id)$")
METHODS = ("get", "post", "put", "patch", "delete")
REFUSED = {403, 404, 405, 410}  # 410: a client link that does not cover the row


@dataclass
class Route:
    route: str  # the full pattern, for messages
    name: str
    arguments: list[str]
    methods: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    def ids(self) -> list[str]:
        return [name for name in self.arguments if ID_ARGUMENT.match(name)]

    def row_segment(self, argument: str) -> str | None:
        """The literal path segment right before ``argument``: what the id names."""
        before = re.search(rf"([\w-]+)/(?:\(\?P<{argument}>|<(?:\w+:)?{argument}>)", self.route)
        return before.group(1) if before else None


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            joined = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), joined)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES) or pattern.name is None:
                continue
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            arguments = list(pattern.pattern.regex.groupindex)
            yield Route(route, name, arguments, _methods(pattern, route))


def _methods(pattern: URLPattern, route: str) -> tuple[str, ...]:
    view = pattern.callback
    actions = getattr(view, "actions", None)
    if actions:  # a DRF viewset route: its method -> action map
        return tuple(m for m in METHODS if m in actions)
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if view_class is not None:
        allowed = getattr(view_class, "http_method_names", METHODS)
        return tuple(m for m in METHODS if m in allowed and hasattr(view_class, m))
    return ("get", "post")  # a function view: try both


def _routes_with_ids() -> list[Route]:
    return [route for route in _walk(get_resolver().url_patterns) if route.ids()]


def unknown_arguments() -> list[str]:
    return sorted(
        f"{route.route}: {argument}"
        for route in _walk(get_resolver().url_patterns)
        for argument in route.arguments
        if argument not in VALUES
        and not (ID_ARGUMENT.match(argument) and route.row_segment(argument) in ROWS)
    )


def test_every_url_argument_is_known():
    assert unknown_arguments() == [], "describe these in ROWS (an id) or VALUES (another argument)"


def _url(route: Route, alices: World, bobs: World) -> str:
    kwargs = {
        argument: VALUES[argument](alices, bobs)
        if argument in VALUES
        else ROWS[route.row_segment(argument) or ""](alices)
        for argument in route.arguments
    }
    return reverse(route.name, kwargs=kwargs)


def _snapshot(world: World) -> dict[str, list[dict[str, Any]]]:
    """Every tenant-owned row of alice's organization, as stored."""
    organization = world.tenant.organization.pk
    rows: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        if not is_tenant_owned(model):
            continue
        path = tenant_path_of(model)
        lookup = {"pk": organization} if path == "" else {f"{path}_id": organization}
        rows[model._meta.label] = list(
            model._default_manager.filter(**lookup).order_by("pk").values()
        )
    return rows


def _client(tenant: Tenant, *, api: bool) -> Client:
    """Signed in as the tenant; a crash is a 500 to report, not an exception."""
    if api:
        api_client = APIClient(raise_request_exception=False)
        api_client.force_authenticate(tenant.user)
        return api_client
    client = Client(raise_request_exception=False)
    client.force_login(tenant.user)
    return client


def _request(client: Client, method: str, url: str, *, api: bool) -> int:
    if api and method != "get":
        return getattr(client, method)(url, {}, format="json").status_code
    return getattr(client, method)(url).status_code


def leaks(alices: World, bobs: World) -> list[str]:
    """What bob reached of alice's, through every route that takes an id."""
    before = _snapshot(alices)
    found = []
    for route in _routes_with_ids():
        url = _url(route, alices, bobs)
        client = _client(bobs.tenant, api=route.is_api)
        for method in route.methods:
            status = _request(client, method, url, api=route.is_api)
            if status not in REFUSED:
                found.append(f"{method.upper()} {url} ({route.name}) answered {status}")
            if _snapshot(alices) != before:
                found.append(f"{method.upper()} {url} ({route.name}) changed alice's rows")
                before = _snapshot(alices)
    return found


def test_bob_cannot_reach_alices_rows_through_any_url(alices_world: World, bobs_world: World):
    assert leaks(alices_world, bobs_world) == []


@override_settings(ROOT_URLCONF="tests.api.leaky_urls")
def test_a_new_route_that_leaks_is_caught(alices_world: World, bobs_world: World):
    found = leaks(alices_world, bobs_world)

    assert found == [
        f"GET /app/leaky/pieces/{alices_world.piece.pk}/ (leaky-piece) answered 200",
        f"POST /app/leaky/pieces/{alices_world.piece.pk}/ (leaky-piece) answered 200",
        f"POST /app/leaky/pieces/{alices_world.piece.pk}/ (leaky-piece) changed alice's rows",
    ]


@override_settings(ROOT_URLCONF="tests.api.leaky_urls")
def test_a_new_argument_nobody_described_is_caught():
    assert unknown_arguments() == ["app/leaky/gadgets/<slug:slug>/: slug"]


def test_the_ids_are_filled_with_rows_that_exist(alices_world: World, bobs_world: World):
    """Alice opens the same URLs (GET): a 404 here would mean the test fills them wrongly."""
    alice = alices_world.tenant
    wrong = []
    for route in _routes_with_ids():
        if "get" not in route.methods or route.name in STATE_DEPENDENT:
            continue
        url = _url(route, alices_world, alices_world)
        status = _client(alice, api=route.is_api).get(url).status_code
        if status == 404:
            wrong.append(f"{url} ({route.name})")
    assert wrong == []


def test_the_enumeration_sees_the_pages_and_the_api():
    names = {route.name for route in _routes_with_ids()}

    assert {"owner:piece_review", "publications:detail", "piece-detail"} <= names
    assert "publication-detail" in names and "business-detail" in names
    assert not any(route.route.startswith("admin/") for route in _routes_with_ids())


def test_an_unknown_argument_is_caught():
    route = Route("app/widgets/<int:pk>/", "widget", ["pk"], ("get",))

    assert route.row_segment("pk") == "widgets"
    assert route.row_segment("pk") not in ROWS


def test_the_api_routes_bring_their_methods():
    methods = {route.name: route.methods for route in _routes_with_ids()}

    assert methods["piece-detail"] == ("get", "patch")
    assert methods["publication-detail"] == ("get",)
