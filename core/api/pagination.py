from __future__ import annotations

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N`` from 1; a page past the end is a 404. No ``page=last``: the schema says
    a page is a number, and the server accepts exactly that."""

    last_page_strings = ()
