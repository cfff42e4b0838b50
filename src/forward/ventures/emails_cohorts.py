"""Mail about cohort decisions: one mail per decision to each admin of the startup, after the
decision committed (the service registers the task with transaction.on_commit), in each reader's
language. Idempotent: the application row remembers the decision it last announced
(``notified_status``), so a retried task, or deciding the same twice, mails nobody again."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from forward.core.models import Membership, Role

from .models import DECISIONS, ApplicationStatus, CohortApplication


def decision(*, application_id: int) -> int:
    """Claim the announcement (a conditional update), then mail the startup's admins."""
    with transaction.atomic():
        application = (CohortApplication.objects.select_for_update(of=("self",)).filter(pk=application_id)
                       .select_related("call", "startup__organization").first())
        if application is None or application.status not in DECISIONS \
                or application.notified_status == application.status:
            return 0
        application.notified_status = application.status
        application.save(update_fields=["notified_status"])
    organization = application.startup.organization
    admins = [m.user for m in Membership.objects.filter(organization=organization, role=Role.ADMIN)
              .select_related("user").order_by("user_id") if m.user.is_active and m.user.email]
    url = settings.SITE_URL + f"/ventures/applications/{application.pk}/"
    sent = 0
    for user in admins:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subjects: dict[str, str] = {
                ApplicationStatus.ACCEPTED: _("%(call)s: %(startup)s is accepted"),
                ApplicationStatus.WAITLISTED: _("%(call)s: %(startup)s is on the waitlist"),
                ApplicationStatus.REJECTED: _("%(call)s: %(startup)s was not selected"),
            }
            subject = subjects[application.status] % {"call": application.call.title, "startup": organization.name}
            body = render_to_string("ventures/cohorts/email/decision.txt", {
                "application": application, "name": user.display_name, "startup": organization.name,
                "url": url, "cohort_url": settings.SITE_URL + f"/ventures/calls/{application.call_id}/cohort/"})
        EmailMessage(subject, body, None, [user.email]).send()
        sent += 1
    return sent
