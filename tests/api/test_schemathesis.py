"""schemathesis against the running API: every operation in the generated schema, with
every check but ``ignored_auth`` (both token and session are declared; the token is sent).
Traffic goes to the live test server on 127.0.0.1 only."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import schemathesis
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.generation.meta import ParameterLocation
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection

from core.api.idempotency import HEADER, KEY_PATTERN
from tests.api.conftest import World, seed_world
from tests.conftest import Tenant
from tests.content.media_files import wav_bytes

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
# Text never carries NUL (DRF refuses it, PostgreSQL cannot store it): said once here rather
# than as a pattern on every string of the schema.
schema.config.generation.update(allow_x00=False)
# No undeclared headers or query parameters (HTTP servers ignore them, RFC 9110 §5.1, so
# such a request is not invalid), and the token is ours: no drawn Authorization values.
schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)

# Which seeded object an ``{id}`` names, by the path's first segment.
SEEDED = {
    "businesses": lambda w: w.tenant.business.pk,
    "campaigns": lambda w: w.campaign.pk,
    "pieces": lambda w: w.piece.pk,
    "publications": lambda w: w.publication.pk,
    "channel-accounts": lambda w: w.account.pk,
    "photos": lambda w: w.photo.pk,
    "voice-memos": lambda w: w.voice_memo.pk,
    "client-links": lambda w: w.client_link.pk,
}


@pytest.fixture
def world(transactional_db, alice: Tenant, settings) -> World:
    settings.API_THROTTLE_RATE = "100000/hour"  # the run itself is no abuse
    return seed_world(alice)


# Body fields whose valid values depend on stored rows, not on the schema.
STORED = {
    "business": lambda w: w.tenant.business.pk,
    "organization": lambda w: w.tenant.organization.pk,
    "confirm": lambda w: w.tenant.business.name,  # erasing: the shop's name, typed again
    "audio": lambda w: wav_bytes(1.0),  # checked by content: it must really be sound
    "file": lambda w: _import_file(w),  # an import reads its rows: a real sheet
    "fields": lambda w: {"text": "손으로 고친 글이에요."},  # paths the piece has
    "field": lambda w: "",  # regenerate the whole piece (its paths are the piece's own)
    "at": lambda w: (timezone.now() + dt.timedelta(days=2)).isoformat(),  # never the past
    # A campaign has days left to post in, and posts to put in them.
    "posts_per_week": lambda w: {},
    "starts_on": lambda w: (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
    "ends_on": lambda w: (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
}


# Uploads whose content the server reads, so a valid case carries a real file.
UPLOADS = ("audio", "file")


def _import_file(world: World) -> bytes:
    """One row that both import kinds take: the seeded shop, and a post on its Threads."""
    name = world.tenant.business.name
    return (
        "키,사업장,상호,업종,동네,날짜,시간,채널,본문\n"
        f"K1,{name},{name},카페,서울 마포구 연남동,2030-03-02,14:00,스레드,오늘의 커피\n"
    ).encode()


def _aim_at_seeded_rows(case: schemathesis.Case, world: World) -> None:
    """In valid cases, two drawn ids in three name a seeded row (so operations run on real
    objects too, not only into 404s), and a body names stored rows where it must."""
    key = (case.headers or {}).get(HEADER)
    if key is not None and re.fullmatch(KEY_PATTERN, key):
        # A client sends a new key with each new request: drawn keys repeat across examples.
        # (New containers: schemathesis shares a case's dicts with the cases made from it.)
        case.headers = {**case.headers, HEADER: uuid.uuid4().hex}
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return

    resource = case.path.removeprefix("/api/v1/").split("/")[0]
    drawn = (case.path_parameters or {}).get("id")
    if isinstance(drawn, int) and drawn % 3 and resource in SEEDED:
        case.path_parameters = {**case.path_parameters, "id": SEEDED[resource](world)}
    if isinstance(case.body, dict):
        stored = {field: STORED[field](world) for field in STORED.keys() & case.body.keys()}
        case.body = {**case.body, **stored}


@schema.parametrize()
# Derandomized: the same examples every run, so a red run is a change in the code.
@settings(
    max_examples=6,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_the_schema_says(case, live_server, world: World):
    token, _ = Token.objects.get_or_create(user=world.tenant.user)
    _aim_at_seeded_rows(case, world)
    excluded = [ignored_auth]
    if _negative_only_to_schemathesis(case, world):  # see there
        # Bad Idempotency-Key values have their own tests (test_idempotency.py).
        excluded.append(negative_data_rejection)
    case.call_and_validate(
        base_url=f"http://127.0.0.1:{live_server.thread.port}",
        headers={"Authorization": f"Token {token.key}"},
        excluded_checks=excluded,
    )


def _negative_only_to_schemathesis(case: schemathesis.Case, world: World) -> bool:
    """Negative cases the server cannot see as negative: invalid only in headers we replace,
    an array of files that schemathesis sends as one multipart part (the server does refuse
    51 images: test_imports), or a body schemathesis derived from a valid case after we put
    a real file in it (its coverage phase reuses the body it sent before)."""
    if case.meta is None or not case.meta.generation.mode.is_negative:
        return False
    data = case.meta.phase.data
    if getattr(data, "parameter_location", None) == ParameterLocation.HEADER:
        return True
    description = getattr(data, "description", "") or ""
    if case.media_type == "multipart/form-data" and "array" in description:
        return True
    body = case.body if isinstance(case.body, dict) else {}
    return any(field in body and body[field] == STORED[field](world) for field in UPLOADS)
