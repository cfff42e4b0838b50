"""Demo credentials: the awarding apps issued theirs (academy's runs and certification holders,
the finished competition: see their demos); here one of them is revoked, so the demo shows what
verifiers then see."""

from __future__ import annotations

import random

from forward.core.models import User


def load(*, rng: random.Random) -> dict:
    from . import services
    from .models import Credential, CredentialKind

    # One revoked, by the programme operator (not one of the named demo students': their wallets
    # show what a learner normally sees).
    operator = User.objects.get(email="operator@forward.demo")
    candidates = list(Credential.objects.filter(kind=CredentialKind.COURSE_COMPLETION)
                      .exclude(recipient__email__endswith="@forward.demo")
                      .exclude(recipient__email__startswith="student@").order_by("pk")[:50])
    revoked = rng.choice(candidates) if candidates else None
    if revoked is not None:
        services.revoke(actor=operator, credential=revoked,
                        reason="Issued in error: the learner's final exam was found to be another person's work.")
    return {"revoked": str(revoked.uuid) if revoked else ""}
