from django.contrib import admin
from django.urls import include, path

from .api import api

handler403 = "forward.core.views.error_403"
handler404 = "forward.core.views.error_404"
handler500 = "forward.core.views.error_500"

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("competitions/", include("forward.competitions.urls")),
    path("academy/", include("forward.academy.urls")),
    path("credentials/", include("forward.credentials.urls")),
    path("talent/", include("forward.talent.urls")),
    path("ventures/", include("forward.ventures.urls")),
    path("impact/", include("forward.impact.urls")),
    path("discussions/", include("forward.discussions.urls")),
    path("", include("forward.core.urls")),
]
