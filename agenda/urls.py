from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting-detail"),
]
