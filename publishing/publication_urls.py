from django.urls import path

from publishing import publication_views as views

app_name = "publications"
urlpatterns = [
    path("campaigns/<int:pk>/schedule/", views.campaign_schedule, name="schedule_campaign"),
    path("businesses/<int:pk>/publications/", views.business_publications, name="business"),
    path("publications/<int:pk>/", views.publication_detail, name="detail"),
    path("publications/<int:pk>/cancel/", views.publication_cancel, name="cancel"),
    path("publications/<int:pk>/retry/", views.publication_retry, name="retry"),
    path("publications/<int:pk>/reschedule/", views.publication_reschedule, name="reschedule"),
    path("publications/<int:pk>/now/", views.publication_publish_now, name="publish_now"),
    path("publications/<int:pk>/assisted/", views.publication_assisted, name="assisted"),
    path("publications/<int:pk>/images.zip", views.publication_images, name="images"),
]
