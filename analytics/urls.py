"""Analytics' owner pages: the numbers the owner enters for a Naver Blog post, and the
results dashboard."""

from django.urls import path

from analytics import views

app_name = "analytics"
urlpatterns = [
    path("publications/<int:pk>/metrics/", views.owner_metrics, name="owner_metrics"),
    path("businesses/<int:pk>/results/", views.business_results, name="results"),
]
