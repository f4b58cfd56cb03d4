from django.urls import path

from marketing import views

app_name = "marketing"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("businesses/new/", views.business_create, name="business_create"),
    path("businesses/<int:pk>/", views.business_detail, name="business_detail"),
    path("businesses/<int:pk>/edit/", views.business_edit, name="business_edit"),
    path("businesses/<int:pk>/market/refresh/", views.market_refresh, name="market_refresh"),
]
