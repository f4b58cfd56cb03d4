"""Content's owner pages: the shop's photo library."""

from django.urls import path

from content import views

app_name = "content"
urlpatterns = [
    path("businesses/<int:pk>/photos/", views.photo_library, name="photo_library"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("photos/<int:pk>/accept/", views.selling_point_accept, name="selling_point_accept"),
]
