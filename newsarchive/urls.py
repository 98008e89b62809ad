from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from articles.web.views import favicon, health

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", health, name="health"),
    # Browsers ask for /favicon.ico whatever the page says; the icon lives with the static files.
    path("favicon.ico", favicon, name="favicon"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    prefix_default_language=True,
)

handler404 = "articles.web.views.not_found"
handler500 = "articles.web.views.server_error"
