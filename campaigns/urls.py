from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("businesses/<int:business_pk>/campaigns/new/", views.campaign_new, name="new"),
    path("businesses/<int:business_pk>/learned/", views.business_learned, name="learned"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="detail"),
    path("campaigns/<int:pk>/retry/", views.campaign_retry, name="retry"),
    path("pieces/<int:pk>/rewrite/", views.piece_rewrite, name="piece_rewrite"),
]
