from django.urls import path

from studies import views

app_name = "studies"

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.compare, name="compare"),
    path("studies/", views.StudyListView.as_view(), name="list"),
    # Before the detail route, which would otherwise read "feed" as a slug.
    path("studies/feed/", views.StudyFeed(), name="feed"),
    path("studies/<slug:slug>/", views.StudyDetailView.as_view(), name="detail"),
]
