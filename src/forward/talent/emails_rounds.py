"""Mail about matching rounds: when results are published, each candidate gets their own result and
each acting member of an employer in the round the list for their openings. Sent after the results
have committed (run_match registers it with transaction.on_commit), one mail per person, each in its
reader's preferred language. A candidate's mail names only their own result."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from forward.core.models import ACTING_ROLES, Membership, User

from .models import MatchResult, MatchRound, RoundOpening


def _language(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def results_published(*, round_id: int) -> int:
    """One mail per candidate with a result, then one per acting member of each employer."""
    from .rounds import explain, explanation_titles

    match_round = MatchRound.objects.filter(pk=round_id, results_published_at__isnull=False).first()
    if match_round is None:
        return 0
    round_url = settings.SITE_URL + f"/talent/rounds/{match_round.pk}/"
    result_url = round_url + "result/"
    results = list(MatchResult.objects.filter(round=match_round).select_related("candidate", "opening__organization")
                   .order_by("candidate_id"))
    titles = explanation_titles(results)
    left = sum(((match_round.stats or {}).get("seats_left") or {}).values())
    sent = 0
    for result in results:
        candidate = result.candidate
        if not candidate.email:
            continue
        with translation.override(_language(candidate)):
            explained = explain(result, titles)
            subject = (_("%(round)s: you were matched") if result.opening_id
                       else _("%(round)s: you were not matched")) % {"round": match_round.name}
            body = render_to_string("talent/rounds/email/result.txt", {
                "round": match_round, "result": result, "explained": explained, "name": candidate.display_name,
                "url": result_url, "seats_left": left})
        EmailMessage(subject, body, None, [candidate.email]).send()
        sent += 1
    # Employers: each acting member gets the openings of their organizations, with who was matched.
    entries = list(RoundOpening.objects.filter(round=match_round).select_related("opening__organization")
                   .order_by("opening__title", "pk"))
    matched: dict[int, list[str]] = defaultdict(list)
    for result in results:
        if result.opening_id:
            matched[result.opening_id].append(result.candidate.display_name)
    by_org: dict[int, list[RoundOpening]] = defaultdict(list)
    for entry in entries:
        by_org[entry.opening.organization_id].append(entry)
    readers: dict[int, tuple[User, list[RoundOpening]]] = {}
    for membership in (Membership.objects.filter(organization_id__in=by_org, role__in=ACTING_ROLES)
                       .select_related("user").order_by("user_id", "organization_id")):
        user, theirs = readers.setdefault(membership.user_id, (membership.user, []))
        theirs.extend(by_org[membership.organization_id])
    for user, theirs in readers.values():
        if not user.email or not user.is_active:
            continue
        with translation.override(_language(user)):
            rows = [{"opening": e.opening, "seats": e.seats, "names": sorted(matched.get(e.opening_id, [])),
                     "url": round_url + f"openings/{e.opening.uuid}/rank/"} for e in theirs]
            subject = _("%(round)s: results for your openings") % {"round": match_round.name}
            body = render_to_string("talent/rounds/email/employer.txt", {
                "round": match_round, "rows": rows, "name": user.display_name})
        EmailMessage(subject, body, None, [user.email]).send()
        sent += 1
    return sent
