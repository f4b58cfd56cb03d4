"""The owner's app: the review screen of each piece, and the calendar."""

from django.urls import path

from owner.views import calendar, notices, review, today, wizard

app_name = "owner"
urlpatterns = [
    path("pieces/<int:pk>/", review.piece_review, name="piece_review"),
    path("pieces/<int:pk>/edit/", review.piece_edit, name="piece_edit"),
    path("pieces/<int:pk>/swap/", review.piece_swap, name="piece_swap"),
    path("pieces/<int:pk>/approve/", review.piece_approve, name="piece_approve"),
    path(
        "pieces/<int:pk>/revisions/<int:number>/restore/",
        review.piece_restore,
        name="piece_restore",
    ),
    path("notices/", notices.notices, name="notices"),
    path("start/", wizard.start, name="start"),
    path("start/<int:pk>/photos/", wizard.photos, name="start_photos"),
    path("start/<int:pk>/menu/", wizard.menu, name="start_menu"),
    path("start/<int:pk>/channels/", wizard.channels, name="start_channels"),
    path("start/<int:pk>/campaign/", wizard.campaign, name="start_campaign"),
    path("pieces/<int:pk>/move/", calendar.piece_move, name="piece_move"),
    path("businesses/<int:pk>/calendar/", calendar.business_calendar, name="calendar"),
    path("businesses/<int:pk>/today/", today.today, name="today"),
]
