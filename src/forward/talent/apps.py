from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "forward.talent"
    label = "talent"
    verbose_name = _("Talent")
    default_auto_field = "django.db.models.BigAutoField"
