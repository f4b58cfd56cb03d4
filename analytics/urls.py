"""Analytics' pages: the numbers the owner enters for a Naver Blog post, the results
dashboard, the operator's page (superusers only), and where the owner's 👍/👎 posts."""

from django.urls import path

from analytics import feedback_views, operator_views, report_views, views

app_name = "analytics"
urlpatterns = [
    path("publications/<int:pk>/metrics/", views.owner_metrics, name="owner_metrics"),
    path("businesses/<int:pk>/results/", views.business_results, name="results"),
    path("businesses/<int:pk>/reports/", report_views.reports, name="reports"),
    path("businesses/<int:pk>/reports/switch/", report_views.report_switch, name="report_switch"),
    path("businesses/<int:pk>/reports/<str:week>/", report_views.report, name="report"),
    path("businesses/<int:pk>/reports/<str:week>/pdf/", report_views.report_pdf, name="report_pdf"),
    path("operator/", operator_views.operator, name="operator"),
    path("pieces/<int:pk>/feedback/", feedback_views.piece_feedback, name="piece_feedback"),
    path("reports/<int:pk>/feedback/", feedback_views.report_feedback, name="report_feedback"),
]
