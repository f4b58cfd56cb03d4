"""A published post's insights on Meta's Graph, as Instagram and Threads both serve them
(``GET /{media-id}/insights?metric=a,b,c``).

One invalid metric fails the whole request (code 100, no subcode: "metric[0] must be
one of …"), and which names an account may ask for changes with Meta's versions
(``impressions`` and ``plays`` went in 2025) and the account's kind. So the first read
asks for everything; when Meta refuses a metric, each name is asked for on its own and
the refused ones are returned to be left out next time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from publishing.publishers.base import ErrorKind, PublishError
from publishing.publishers.graph import GraphClient

INVALID_PARAMETER = "100"  # with a subcode (100/33: no such object) it is not about metrics


def read_insights(
    graph: GraphClient, media_id: str, names: Sequence[str], refused: frozenset[str]
) -> tuple[dict[str, int], dict[str, Any], frozenset[str]]:
    """The values of ``names`` (less ``refused``) for ``media_id``, the answers as received,
    and the refused names (the given ones and any Meta refused now). Raises PublishError
    for anything but a refused metric."""
    wanted = [name for name in names if name not in refused]
    if not wanted:
        return {}, {"data": []}, refused
    try:
        body = graph.get("insights", f"{media_id}/insights", metric=",".join(wanted))
    except PublishError as exc:
        if not refuses_metric(exc):
            raise
    else:
        return values_of(body), body, refused
    values: dict[str, int] = {}
    answered: list[Any] = []
    newly_refused: set[str] = set()
    for name in wanted:
        try:
            body = graph.get("insights", f"{media_id}/insights", metric=name)
        except PublishError as exc:
            if not refuses_metric(exc):
                raise
            newly_refused.add(name)
            continue
        values |= values_of(body)
        answered += body.get("data") or []
    return values, {"data": answered}, refused | newly_refused


def refuses_metric(error: PublishError) -> bool:
    return error.kind is ErrorKind.PERMANENT and error.code == INVALID_PARAMETER


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
