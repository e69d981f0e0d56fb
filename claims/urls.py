from django.urls import path
from django.views.decorators.http import require_safe

from claims import views
from studies.urls import public

app_name = "claims"

urlpatterns = [
    path("", public(views.ClaimListView.as_view()), name="list"),
    # Before the detail route, which would otherwise read "feed" as a claim's key.
    path("feed/", public(require_safe(views.ClaimFeed())), name="feed"),
    path("<slug:key>/", public(views.ClaimDetailView.as_view()), name="detail"),
]
