"""What talent and impact read of people's credentials (selectors): the order wallets and holdings
come in, who counts as changed in a period, and who lost a credential to expiry."""

import json
import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from forward.core.models import OrganizationKind, User
from forward.credentials import selectors, services
from forward.credentials.models import Credential
from tests.conftest import make_organization, make_user
from tests.credentials.test_regressions import _award, issuer  # noqa: F401


def _three(w):
    """The learner's credential plus two more, issued so that the newest has the lowest id."""
    first = w.credential
    second, third = services.issue([_award(w.learner, w.university, "course:2", "Data Engineering"),
                                    _award(w.learner, w.university, "course:3", "Machine Learning")])
    now = timezone.now()
    Credential.objects.filter(pk=first.pk).update(issued_at=now - timedelta(days=1))
    Credential.objects.filter(pk=second.pk).update(issued_at=now - timedelta(days=3))
    Credential.objects.filter(pk=third.pk).update(issued_at=now - timedelta(days=2))
    return first, second, third


def test_a_wallet_and_what_one_holds_now_list_the_newest_first(issuer, django_assert_num_queries):  # noqa: F811
    first, second, third = _three(issuer)
    assert list(selectors.wallet(user=issuer.learner)) == [first, third, second]
    assert list(selectors.active_for(user=issuer.learner)) == [first, third, second]
    # issued at the same moment: the one issued last comes first
    Credential.objects.filter(recipient=issuer.learner).update(issued_at=timezone.now())
    assert list(selectors.wallet(user=issuer.learner)) == [third, second, first]
    assert list(selectors.active_for(user=issuer.learner)) == [third, second, first]
    with django_assert_num_queries(1):  # the issuer's name comes with each, in one query
        assert [c.issuer.name for c in selectors.active_for(user=issuer.learner)] == ["NTU"] * 3


def test_current_holdings_come_person_by_person_oldest_first(issuer):  # noqa: F811
    first, second, third = _three(issuer)
    other = make_user("other@ntu.test", "Otto Other")  # a later id, whose credential is the oldest of all
    (theirs,) = services.issue([_award(other, issuer.university, "course:1")])
    Credential.objects.filter(pk=theirs.pk).update(issued_at=timezone.now() - timedelta(days=9), facts=["odd"])
    rows = selectors.current_holdings(user_ids=[issuer.learner.pk, other.pk])
    assert [r[1] for r in rows] == [str(c.uuid) for c in (second, third, first, theirs)]
    assert rows[-1] == (other.pk, str(theirs.uuid), "course_completion", "Cloud Computing Fundamentals", {})
    # issued at the same moment: the one issued first comes first
    Credential.objects.filter(recipient=issuer.learner).update(issued_at=timezone.now())
    rows = selectors.current_holdings(user_ids=[issuer.learner.pk])
    assert [r[1] for r in rows] == [str(c.uuid) for c in (first, second, third)]


def test_holdings_come_person_by_person_newest_first_with_who_issued_them_and_until_when(issuer, settings):  # noqa: F811
    first, second, third = _three(issuer)
    other = make_user("other@ntu.test", "Otto Other")  # a later id, whose credential is the newest of all
    (theirs,) = services.issue([_award(other, issuer.university, "course:1")])
    issued_at, valid_until = timezone.now() - timedelta(hours=1), timezone.now() + timedelta(days=365)
    Credential.objects.filter(pk=theirs.pk).update(issued_at=issued_at, valid_until=valid_until)
    theirs.refresh_from_db()
    found = selectors.holdings(user_ids=[other.pk, issuer.learner.pk])
    assert [h.uuid for h in found] == [str(c.uuid) for c in (first, third, second, theirs)]
    assert found[-1] == selectors.Holding(
        user_id=other.pk, uuid=str(theirs.uuid), kind="course_completion", name="Cloud Computing Fundamentals",
        detail=theirs.detail, facts=theirs.facts, issuer_name="NTU", issuer_slug=issuer.university.slug,
        valid_from=theirs.valid_from, valid_until=valid_until, issued_at=issued_at,
        verify_url=settings.SITE_URL + reverse("credentials:detail", args=[theirs.uuid]), expired=False)
    assert [(h.issuer_slug, h.valid_until) for h in found[:3]] == [(issuer.university.slug, None)] * 3
    # issued at the same moment: the one issued last comes first
    Credential.objects.filter(recipient=issuer.learner).update(issued_at=issued_at)
    found = selectors.holdings(user_ids=[issuer.learner.pk])
    assert [h.uuid for h in found] == [str(c.uuid) for c in (third, second, first)]
    assert {h.issued_at for h in found} == {issued_at}
    # a credential valid until this very moment has expired
    at_end = selectors.holdings(user_ids=[other.pk], now=valid_until)
    just_before = selectors.holdings(user_ids=[other.pk], now=valid_until - timedelta(microseconds=1))
    assert [(h.uuid, h.expired) for h in at_end] == [(str(theirs.uuid), True)]
    assert [(h.uuid, h.expired) for h in just_before] == [(str(theirs.uuid), False)]
    # facts stored as anything but an object (an old row, a hand edit) read as no facts
    Credential.objects.filter(pk=first.pk).update(facts=["odd"])
    assert [h.facts for h in selectors.holdings(user_ids=[issuer.learner.pk]) if h.uuid == str(first.uuid)] == [{}]


def test_impact_counts_people_whose_credential_was_issued_or_revoked_in_the_period(issuer):  # noqa: F811
    now = timezone.now()
    since, until = now - timedelta(days=10), now - timedelta(days=5)
    people = {name: make_user(f"{name}@ntu.test", name.title()) for name in
              ("issued_in", "issued_after", "issued_before", "revoked_in", "revoked_before", "revoked_after")}
    made = {name: services.issue([_award(user, issuer.university, "course:1")])[0] for name, user in people.items()}
    Credential.objects.all().update(issued_at=since - timedelta(days=30))  # everyone's issued long before
    Credential.objects.filter(pk=made["issued_in"].pk).update(issued_at=since + timedelta(days=1))
    Credential.objects.filter(pk=made["issued_after"].pk).update(issued_at=until)
    for name, when in (("revoked_in", since), ("revoked_before", since - timedelta(seconds=1)),
                       ("revoked_after", until)):
        Credential.objects.filter(pk=made[name].pk).update(revoked_at=when, revocation_reason="Issued in error")
    assert selectors.impact_recipients(since=since, until=until) == {people["issued_in"].pk, people["revoked_in"].pk}


def test_a_document_naming_art_that_is_not_stored_shows_the_generated_badge(issuer, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "files"
    document = json.loads(issuer.credential.document)
    missing = "ab" * 32
    document["credentialSubject"]["achievement"]["image"] = {
        "id": settings.SITE_URL + reverse("credentials:badge_art_file", args=[missing, 600]), "type": "Image"}
    Credential.objects.filter(pk=issuer.credential.pk).update(document=json.dumps(document))
    issuer.credential.refresh_from_db()
    assert selectors.uploaded_digest(issuer.credential) is None
    assert selectors.badge_src(issuer.credential) == f"/credentials/{issuer.credential.uuid}/badge.svg"


def test_people_who_lost_a_credential_to_expiry_are_listed_from_the_first_id(db):
    first = make_user("first@ntu.test", "First Person", id=1)  # the site's very first account counts too
    admin = make_user("admin@ntu.test", "Ada Admin")
    university = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    now = timezone.now()
    (credential,) = services.issue([_award(first, university, "course:1")])
    Credential.objects.filter(pk=credential.pk).update(valid_until=now - timedelta(days=1))
    rows = selectors.expired_between(start=now - timedelta(days=7), end=now)
    assert [r[0] for r in rows] == [1]


def test_people_who_lost_a_credential_to_expiry_come_two_thousand_a_page(issuer):  # noqa: F811
    now = timezone.now()
    people = User.objects.bulk_create(User(email=f"p{i}@ntu.test", name=f"P {i}", password="!") for i in range(2000))
    row = Credential.objects.get(pk=issuer.credential.pk)
    copies = []
    for index, person in enumerate(people, start=1):
        row.pk, row.uuid, row.recipient_id, row.status_index = None, uuid.uuid4(), person.pk, 10_000 + index
        copies.append(Credential(**{f.attname: getattr(row, f.attname) for f in Credential._meta.concrete_fields}))
    Credential.objects.bulk_create(copies)
    Credential.objects.update(valid_until=now - timedelta(days=1))  # 2001 people lost theirs yesterday
    page = selectors.expired_between(start=now - timedelta(days=7), end=now)
    assert len(page) == 2000
    rest = selectors.expired_between(start=now - timedelta(days=7), end=now, after=page[-1][0])
    assert len(rest) == 1 and {r[0] for r in page + rest} == {issuer.learner.pk} | {p.pk for p in people}
