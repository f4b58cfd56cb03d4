from django.urls import path

from publishing import views

app_name = "publishing"
urlpatterns = [
    path("businesses/<int:pk>/channels/", views.channels, name="channels"),
    path(
        "businesses/<int:pk>/channels/<str:platform>/connect/",
        views.channel_connect,
        name="connect",
    ),
    path(
        "businesses/<int:pk>/channels/naver/assisted/", views.naver_assisted, name="naver_assisted"
    ),
    path("businesses/<int:pk>/channels/naver/xmlrpc/", views.naver_xmlrpc, name="naver_xmlrpc"),
    # The redirect URI registered with each platform's app (docs/publishing.md).
    path("channels/callback/<str:platform>/", views.channel_callback, name="callback"),
    path("channels/<int:pk>/disconnect/", views.channel_disconnect, name="disconnect"),
]
