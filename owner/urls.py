"""The owner's app: the review screen of each piece, and the calendar."""

from django.urls import path

from owner.views import (
    approvals,
    calendar,
    client,
    lifecycle,
    notices,
    review,
    today,
    wizard,
    workspace,
)

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
    path("pieces/<int:pk>/submit/", approvals.piece_submit, name="piece_submit"),
    path(
        "pieces/<int:pk>/review-approve/",
        approvals.piece_review_approve,
        name="piece_review_approve",
    ),
    path(
        "pieces/<int:pk>/request-changes/",
        approvals.piece_request_changes,
        name="piece_request_changes",
    ),
    path("pieces/<int:pk>/comment/", approvals.piece_comment, name="piece_comment"),
    path("campaigns/<int:pk>/comment/", approvals.campaign_comment, name="campaign_comment"),
    path(
        "campaigns/<int:pk>/client-link/", approvals.campaign_link_create, name="client_link_create"
    ),
    path("client-links/<int:pk>/revoke/", approvals.link_revoke, name="client_link_revoke"),
    # The client's page: no account, the signed link is the key.
    path("review/<str:token>/", client.client_review, name="client_review"),
    path("review/<str:token>/pieces/<int:pk>/", client.client_decide, name="client_decide"),
    path("review/<str:token>/comment/", client.client_comment, name="client_comment"),
    path("notices/", notices.notices, name="notices"),
    # A shop's pause, archive and erase (publishing.lifecycle), and the archive.
    path("archive/", lifecycle.archive, name="archive"),
    path("businesses/<int:pk>/pause/", lifecycle.business_pause, name="business_pause"),
    path("businesses/<int:pk>/resume/", lifecycle.business_resume, name="business_resume"),
    path("businesses/<int:pk>/archive/", lifecycle.business_archive, name="business_archive"),
    path("businesses/<int:pk>/restore/", lifecycle.business_restore, name="business_restore"),
    path("businesses/<int:pk>/erase/", lifecycle.business_erase, name="business_erase"),
    path(
        "businesses/<int:pk>/erase/cancel/",
        lifecycle.business_erase_cancel,
        name="business_erase_cancel",
    ),
    path("workspace/", workspace.workspace, name="workspace"),
    path("workspace/actions/", workspace.workspace_action, name="workspace_action"),
    path("workspace/clients/", workspace.client_invite, name="client_invite"),
    path("start/", wizard.start, name="start"),
    path("start/<int:pk>/photos/", wizard.photos, name="start_photos"),
    path("start/<int:pk>/menu/", wizard.menu, name="start_menu"),
    path("start/<int:pk>/channels/", wizard.channels, name="start_channels"),
    path("start/<int:pk>/campaign/", wizard.campaign, name="start_campaign"),
    path("pieces/<int:pk>/move/", calendar.piece_move, name="piece_move"),
    path("businesses/<int:pk>/calendar/", calendar.business_calendar, name="calendar"),
    path("businesses/<int:pk>/today/", today.today, name="today"),
]
