from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Archive")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready, as Django requires of anything that
        # touches models (the admin, the login form) or registers checks.
        from django.contrib import admin

        from articles import checks  # noqa: F401  (registers the system checks)
        from articles.throttle.login import ThrottledAdminAuthenticationForm

        admin.site.login_form = ThrottledAdminAuthenticationForm
