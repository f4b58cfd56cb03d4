"""Publishing's pages, under two namespaces: ``publications`` (what goes out) and
``publishing`` (the channel accounts it goes out on)."""

from django.urls import include, path

from publishing.views import channels, publications

publication_patterns = [
    path("campaigns/<int:pk>/schedule/", publications.campaign_schedule, name="schedule_campaign"),
    path("businesses/<int:pk>/publications/", publications.business_publications, name="business"),
    path("publications/<int:pk>/", publications.publication_detail, name="detail"),
    path("publications/<int:pk>/cancel/", publications.publication_cancel, name="cancel"),
    path("publications/<int:pk>/retry/", publications.publication_retry, name="retry"),
    path(
        "publications/<int:pk>/reschedule/",
        publications.publication_reschedule,
        name="reschedule",
    ),
    path("publications/<int:pk>/now/", publications.publication_publish_now, name="publish_now"),
    path("publications/<int:pk>/assisted/", publications.publication_assisted, name="assisted"),
    path("publications/<int:pk>/images.zip", publications.publication_images, name="images"),
]
channel_patterns = [
    path("businesses/<int:pk>/channels/", channels.channels, name="channels"),
    path(
        "businesses/<int:pk>/channels/<str:platform>/connect/",
        channels.channel_connect,
        name="connect",
    ),
    path(
        "businesses/<int:pk>/channels/naver/assisted/",
        channels.naver_assisted,
        name="naver_assisted",
    ),
    path("businesses/<int:pk>/channels/naver/xmlrpc/", channels.naver_xmlrpc, name="naver_xmlrpc"),
    # The redirect URI registered with each platform's app (docs/publishing.md).
    path("channels/callback/<str:platform>/", channels.channel_callback, name="callback"),
    path("channels/<int:pk>/disconnect/", channels.channel_disconnect, name="disconnect"),
]
urlpatterns = [
    path("", include((publication_patterns, "publications"))),
    path("", include((channel_patterns, "publishing"))),
]
