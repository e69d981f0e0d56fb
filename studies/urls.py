from django.urls import path

from studies import views

app_name = "studies"

urlpatterns = [
    path("", views.home, name="home"),
    path("studies/", views.StudyListView.as_view(), name="list"),
    path("studies/<slug:slug>/", views.StudyDetailView.as_view(), name="detail"),
]
