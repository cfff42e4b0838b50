from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenturesConfig(AppConfig):
    name = "forward.ventures"
    label = "ventures"
    verbose_name = _("Ventures")
    default_auto_field = "django.db.models.BigAutoField"
