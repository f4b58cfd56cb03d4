"""Parts of the publication page that later apps add (analytics: the owner's numbers
for a Naver Blog post). publishing may not import those apps, so each registers a
function here from its AppConfig.ready(); the page calls it with the request and the
publication and shows what it returns: rendered template output, or "" for nothing.
A plain string is escaped like any other value."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from publishing.models import Publication

PublicationSection = Callable[[HttpRequest, Publication], str]
_SECTIONS: list[PublicationSection] = []


def add_publication_section(section: PublicationSection) -> None:
    """Show ``section`` on every publication page; safe to call more than once."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def publication_sections(request: HttpRequest, publication: Publication) -> list[str]:
    return [html for section in _SECTIONS if (html := section(request, publication))]
