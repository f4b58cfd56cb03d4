"""The project's URLs plus two routes a careless change could add: one that shows and
changes any piece, whoever asks, and one whose argument the isolation test does not know."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from content.models import ContentPiece


def leaky_piece(request: HttpRequest, pk: int) -> HttpResponse:
    piece = ContentPiece.objects.get(pk=pk)  # no scope_for_user: the bug under test
    if request.method == "POST":
        ContentPiece.objects.filter(pk=pk).update(title="바뀜")
    return HttpResponse(piece.title)


def gadget(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)


urlpatterns = [
    *project_urlpatterns,
    path("app/leaky/pieces/<int:pk>/", leaky_piece, name="leaky-piece"),
    path("app/leaky/gadgets/<slug:slug>/", gadget, name="leaky-gadget"),
]
