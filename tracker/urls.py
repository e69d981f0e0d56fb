from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("api/", include("api.urls")),
    path("claims/", include("claims.urls")),
    path("", include("studies.urls")),
]
