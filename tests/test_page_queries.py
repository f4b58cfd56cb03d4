"""Fast pages: every page of a business that lists its pieces or publications runs the
same number of queries whether the shop has 8 pieces or 40, with their campaigns, media,
publications and readings (bench/busy_shop.py), so an N+1 fails here, naming the
statement it repeats. 8 pieces already post on every channel and have numbers in each of
the dashboard's periods, so what a page reads once per channel or per period is there
at both sizes. ``make bench BENCH=pages`` measures
the same pages at 10 and 500 pieces."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bench.busy_shop import PAGES, fill, owner_pages, page_queries

FEW, MANY = 8, 40


def _shape(sql: str) -> str:
    """A statement with its values left out, so one repeated per row counts as one."""
    return re.sub(r"\d+(, \d+)*", "N", sql)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_runs_as_many_queries_with_40_pieces_as_with_8(alice, page):
    client = alice.client()
    fill(alice.business, pieces=FEW)
    few = page_queries(client, owner_pages(alice.business)[page])
    fill(alice.business, pieces=MANY)
    many = page_queries(client, owner_pages(alice.business)[page])
    repeated = Counter(map(_shape, many)) - Counter(map(_shape, few))
    assert len(many) == len(few), "\n\n".join(
        f"{count} more times: {sql}" for sql, count in repeated.most_common(5)
    )
