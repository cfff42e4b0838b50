"""Demo talent profiles: the demo universities' students, their verified sections refreshed from
their demo credentials, realistic self-declared text and varied visibility (some hidden, most
visible to partner employers, a few public). student@ntu.forward.demo stays hidden, so the demo's
first step is choosing to be seen; student@zju.forward.demo is visible to partners."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from forward.core.models import Membership, OrganizationKind, Role, User
from forward.credentials import selectors as credentials

from . import profiles
from .models import Availability, Profile, Visibility

LANGUAGES = {"SG": ["en", "zh-hans", "ms"], "MY": ["ms", "en", "zh-hans"], "ID": ["id", "en"],
             "CN": ["zh-hans", "en"], "PH": ["en"], "TH": ["th", "en"], "VN": ["vi", "en"]}
NEIGHBOURS = {"SG": ["SG", "MY"], "MY": ["MY", "SG"], "ID": ["ID", "SG", "MY"], "CN": ["CN", "SG"],
              "PH": ["PH", "SG"]}
FIELDS = ["data engineering", "cloud architecture", "machine learning", "backend development",
          "data analytics", "site reliability", "fintech software", "AI applications"]
YEARS = ["Second-year", "Third-year", "Final-year", "Master's"]
ABOUT = [
    "I like turning messy data into something a team can decide with. Recently: {item}.",
    "Happiest when a system I built keeps running at 3 a.m. without me. Recently: {item}.",
    "I learn by building: most evenings go to side projects and competitions. Recently: {item}.",
    "Looking for a team that ships to real users and reviews code kindly. Recently: {item}.",
]
STUDENT_NTU = "student@ntu.forward.demo"
STUDENT_ZJU = "student@zju.forward.demo"


def load(*, rng: random.Random) -> None:
    students = list(User.objects.filter(
        memberships__role=Role.MEMBER, memberships__organization__kind=OrganizationKind.UNIVERSITY,
        memberships__organization__verified_at__isnull=False).distinct().order_by("pk"))
    if not students:
        return
    ids = [u.pk for u in students]
    profiles.refresh(ids)
    university = dict(Membership.objects.filter(
        user_id__in=ids, role=Role.MEMBER, organization__kind=OrganizationKind.UNIVERSITY).order_by(
        "user_id", "pk").values_list("user_id", "organization__name"))
    first_item: dict[int, str] = {}
    for holding in credentials.holdings(user_ids=ids):
        if not holding.expired:
            first_item.setdefault(holding.user_id, holding.name)
    now = timezone.now()
    by_user = {p.user_id: p for p in Profile.objects.filter(user_id__in=ids)}
    changed = []
    for user in students:
        profile = by_user.get(user.pk)
        if profile is None:
            continue
        country = user.country.code if user.country else "SG"
        field = rng.choice(FIELDS)
        profile.headline = f"{rng.choice(YEARS)} student, {field}, {university.get(user.pk, 'Forward')}"[:140]
        profile.about = rng.choice(ABOUT).format(item=first_item.get(user.pk, "my first cloud course"))
        handle = user.email.split("@")[0].replace(".", "-")
        profile.links = [{"label": "GitHub", "url": f"https://github.com/{handle}"}]
        if rng.random() < 0.4:
            profile.links.append({"label": "Portfolio", "url": f"https://{handle}.dev"})
        profile.languages = LANGUAGES.get(country, ["en"])[: rng.randint(1, 3)]
        profile.available_for = sorted(rng.sample([a.value for a in Availability], rng.randint(1, 2)),
                                       key=[a.value for a in Availability].index)
        profile.available_from = date(now.year + 1, rng.choice([1, 5, 6, 7]), 1)
        profile.countries = "," + ",".join(sorted(NEIGHBOURS.get(country, [country]))) + ","
        roll = rng.random()
        if user.email == STUDENT_NTU:
            visibility = Visibility.HIDDEN  # the demo's first step: choosing to be seen
        elif user.email == STUDENT_ZJU:
            visibility = Visibility.PARTNERS
        else:
            visibility = (Visibility.HIDDEN if roll < 0.2 else Visibility.PUBLIC if roll > 0.9
                          else Visibility.PARTNERS)
        profile.visibility = visibility
        profile.consent_at = None if visibility == Visibility.HIDDEN else now - timedelta(days=rng.randint(1, 60))
        profile.updated_at = now
        changed.append(profile)
    Profile.objects.bulk_update(changed, ["headline", "about", "links", "languages", "available_for",
                                          "available_from", "countries", "visibility", "consent_at",
                                          "updated_at"], batch_size=500)
