"""A published post's insights on Meta's Graph, as Instagram and Threads both serve them
(``GET /{media-id}/insights?metric=a,b,c``).

One invalid metric fails the whole request (code 100, no subcode: "metric[0] must be
one of …"), and which names an account may ask for changes with Meta's versions
(``impressions`` and ``plays`` went in 2025) and the account's kind. So the first read
asks for everything; when Meta refuses a metric, each name is asked for on its own and
the refused ones are returned to be left out next time.

On this edge code 10 is not about the token: Meta answers "(#10) Not enough viewers for
the media to show insights" for a post too few people saw (and the same code when the
insights permission is missing). Both mean "no numbers now": ``Metrics.unavailable``
says why, nothing is refused and the ladder asks again at its next rung. A revoked or
expired token is 190, which stays an AUTH error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from publishing.publishers.base import ErrorKind, Metrics, PublishError
from publishing.publishers.graph import GraphClient

INVALID_PARAMETER = "100"  # with a subcode (100/33: no such object) it is not about metrics
NO_NUMBERS = "10"  # on the insights edge: not enough viewers, or no insights permission
WITHHELD = (
    "{subject} 아직 이 게시물의 성과 숫자를 보여 주지 않아요(본 사람이 적으면 숫자가 "
    "나오지 않아요). 다음 수집 때 다시 읽을게요."
)


def read_insights(
    graph: GraphClient, media_id: str, names: Sequence[str], refused: frozenset[str]
) -> Metrics:
    """The values of ``names`` (less ``refused``) for ``media_id`` under Meta's names, the
    answers as received, the refused names (the given ones and any Meta refused now) and,
    when Meta withheld the numbers (code 10), why. Raises PublishError for anything
    else."""
    wanted = [name for name in names if name not in refused]
    if not wanted:
        return Metrics({}, {"data": []}, refused)
    try:
        body = graph.get("insights", f"{media_id}/insights", metric=",".join(wanted))
    except PublishError as exc:
        if withholds_numbers(exc):
            return _withheld(graph, exc, refused)
        if not refuses_metric(exc):
            raise
    else:
        return Metrics(values_of(body), body, refused)
    values: dict[str, int] = {}
    answered: list[Any] = []
    newly_refused: set[str] = set()
    withheld: PublishError | None = None
    for name in wanted:
        try:
            body = graph.get("insights", f"{media_id}/insights", metric=name)
        except PublishError as exc:
            if withholds_numbers(exc):  # not this one now; asked for again next time
                withheld = exc
                continue
            if not refuses_metric(exc):
                raise
            newly_refused.add(name)
            continue
        values |= values_of(body)
        answered += body.get("data") or []
    if not values and withheld is not None:
        return _withheld(graph, withheld, refused | newly_refused)
    return Metrics(values, {"data": answered}, refused | newly_refused)


def refuses_metric(error: PublishError) -> bool:
    return error.kind is ErrorKind.PERMANENT and error.code == INVALID_PARAMETER


def withholds_numbers(error: PublishError) -> bool:
    """Code 10 on the insights edge, with or without a subcode."""
    return error.code.partition("/")[0] == NO_NUMBERS


def _withheld(graph: GraphClient, error: PublishError, refused: frozenset[str]) -> Metrics:
    """No numbers now: Meta's words kept beside ours for the operator."""
    why = graph.errors.words(WITHHELD)
    if error.detail:
        why = f"{why} ({error.detail})"
    return Metrics({}, {"error": error.detail}, refused, unavailable=why)


def values_of(body: dict[str, Any]) -> dict[str, int]:
    """``{"data": [{"name", "values": [{"value"}]}]}`` (or ``total_value``) as name → int."""
    values: dict[str, int] = {}
    for metric in body.get("data") or []:
        if not isinstance(metric, dict) or not metric.get("name"):
            continue
        entries = metric.get("values") or [metric.get("total_value") or {}]
        value = entries[-1].get("value") if isinstance(entries[-1], dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[str(metric["name"])] = int(value)
    return values
