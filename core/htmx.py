"""The request type of views that answer an htmx request with a page fragment."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails  # set on every request by django_htmx's HtmxMiddleware
