from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import views

app_name = "api"

urlpatterns = [
    path("v1/studies/", views.StudyList.as_view(), name="study-list"),
    path("v1/studies/<str:slug>/", views.StudyDetail.as_view(), name="study-detail"),
    path("v1/outcomes/", views.OutcomeRows.as_view(), name="outcomes"),
    path("v1/adverse-events/", views.AdverseEventRows.as_view(), name="adverse-events"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.Docs.as_view(), name="docs"),
    # Any other address under /api/ is answered in JSON too.
    re_path(r"", views.NoSuchAddress.as_view()),
]
