"""Demo credentials: what the demo's released runs, certification holders and finished
competition have earned, issued the way production issues them; one revoked, one expired."""

from __future__ import annotations

import random

from forward.core.models import User


def load(*, rng: random.Random) -> dict:
    from forward.academy.models import CertificationHolding, CourseRun
    from forward.competitions.models import Competition, PhaseResult

    from . import services
    from .models import Credential, CredentialKind

    issued = 0
    for run in CourseRun.objects.filter(grades_released_at__isnull=False).select_related("course__owner"):
        awards = services.run_awards(run=run)
        issued += len(services.issue(awards))
        issued += len(services.issue(services.run_programme_awards(run=run, awards=awards)))
    for holding_id in CertificationHolding.objects.order_by("pk").values_list("pk", flat=True):
        issued += 1 if services.certification_issue(holding_id=holding_id) else 0
    finished = PhaseResult.objects.values_list("phase__competition_id", flat=True)
    for competition in Competition.objects.filter(pk__in=finished).select_related("host"):
        issued += len(services.issue(services.competition_awards(competition=competition)))
    # One revoked, by the programme operator, so the demo shows what verifiers then see (not one of
    # the named demo students': their wallets show what a learner normally sees).
    operator = User.objects.get(email="operator@forward.demo")
    candidates = list(Credential.objects.filter(kind=CredentialKind.COURSE_COMPLETION)
                      .exclude(recipient__email__endswith="@forward.demo")
                      .exclude(recipient__email__startswith="student@").order_by("pk")[:50])
    revoked = rng.choice(candidates) if candidates else None
    if revoked is not None:
        services.revoke(actor=operator, credential=revoked,
                        reason="Issued in error: the learner's final exam was found to be another person's work.")
    return {"issued": issued, "revoked": str(revoked.uuid) if revoked else ""}
