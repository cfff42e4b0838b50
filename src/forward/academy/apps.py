from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "forward.academy"
    label = "academy"
    verbose_name = _("Academy")

    def ready(self) -> None:
        from . import awards, discussions

        awards.register()  # credentials certifies a run's cohort through academy's rules
        discussions.register()  # course and run boards: who reads, posts and moderates
