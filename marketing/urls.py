from django.urls import path

from marketing import organization_views, views

app_name = "marketing"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plan/", organization_views.plan, name="plan"),
    path("audit/", organization_views.audit_log, name="audit"),
    path("plan/approval/", organization_views.approval_mode, name="approval_mode"),
    path("businesses/new/", views.business_create, name="business_create"),
    path("businesses/<int:pk>/", views.business_detail, name="business_detail"),
    path("businesses/<int:pk>/edit/", views.business_edit, name="business_edit"),
    path("businesses/<int:pk>/market/refresh/", views.market_refresh, name="market_refresh"),
]
