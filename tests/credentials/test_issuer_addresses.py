"""Which addresses name this site's issuers and status lists, what colours a stored credential's
badge, and which achievements an issuer may give its own badge art."""

import json

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from forward.core.models import Organization
from forward.credentials import badge_art, keys, selectors, services
from forward.credentials.models import BadgeArt
from tests.credentials.test_badge_uploads import _media, picture, w  # noqa: F401 - the badge-art world, reused
from tests.credentials.test_regressions import issuer  # noqa: F401

# --- issuer and status-list addresses --------------------------------------------------------------

def test_an_issuer_address_with_a_malformed_slug_is_not_looked_up(issuer):  # noqa: F811
    url = keys.issuer_id(issuer.university)
    assert selectors.resolve_controller(url)["id"] == url
    assert selectors.resolve_controller(url.replace(settings.SITE_URL, "https://elsewhere.example")) is None
    selectors.clear_caches()
    Organization.objects.filter(pk=issuer.university.pk).update(slug="ntu.sg")  # no slug a form would accept
    crafted = url[:-len(issuer.university.slug)] + "ntu.sg"
    assert selectors.resolve_controller(crafted) is None


def test_a_status_list_address_of_this_site_resolves_and_others_do_not(issuer):  # noqa: F811
    url = json.loads(issuer.credential.document)["credentialStatus"]["statusListCredential"]
    assert selectors.resolve_status(url) is not None
    for other in (None, "", url.replace(settings.SITE_URL, "https://elsewhere.example")):
        assert selectors.resolve_status(other) is None, other


# --- a stored credential's badge ----------------------------------------------------------------------

def _with_achievement_id(credential, value):
    document = json.loads(credential.document)
    if value is None:
        del document["credentialSubject"]["achievement"]["id"]
    else:
        document["credentialSubject"]["achievement"]["id"] = value
    credential.document = json.dumps(document)
    return credential


def test_a_badge_is_coloured_by_its_achievement_or_else_by_its_name(issuer):  # noqa: F811
    name = "Cloud Computing Fundamentals"
    achievement_id = "https://forward.test/achievements/course:1"
    by_id, by_name, placeholder = (badge_art.scheme_for(k) for k in (achievement_id, name, "XXXX"))
    assert by_id != by_name and by_name != placeholder  # the colours this test tells apart
    credential = issuer.credential
    assert selectors.badge(credential).scheme == by_id
    assert selectors.badge(_with_achievement_id(credential, achievement_id + "#merit")).scheme == by_id
    assert selectors.badge(_with_achievement_id(credential, None)).scheme == by_name  # no id: its name
    assert selectors.badge(_with_achievement_id(credential, 42)).scheme == by_name  # not a string: its name


def test_a_badge_whose_achievement_is_not_an_object_is_coloured_by_its_name_and_generated(issuer):  # noqa: F811
    credential, by_name = issuer.credential, badge_art.scheme_for("Cloud Computing Fundamentals")
    signed = json.loads(credential.document)
    for achievement in ("https://forward.test/achievements/course:1", ["course:1"], None):
        signed["credentialSubject"]["achievement"] = achievement
        credential.document = json.dumps(signed)
        assert selectors.badge(credential).scheme == by_name, achievement
        assert selectors.badge_src(credential) == reverse("credentials:badge_svg", args=[credential.uuid])


# --- which achievements an issuer gives art -----------------------------------------------------------

def test_art_is_stored_under_the_achievement_without_its_tier(w):  # noqa: F811
    art = services.badge_art_upload(actor=w.admin, organization=w.university,
                                    achievement_id=w.achievement_id + "#merit", upload=picture())
    assert art.achievement_id == w.achievement_id
    services.badge_art_remove(actor=w.admin, organization=w.university, achievement_id=w.achievement_id + "#pass")
    assert not BadgeArt.objects.exists()


@pytest.mark.parametrize("achievement_id", ["", "#merit", "https://elsewhere.example/course",
                                            "https://forward.test/achievements/course:1"])
def test_art_for_an_achievement_the_issuer_does_not_give_is_refused_with_a_reason(w, achievement_id):  # noqa: F811
    for act in (services.badge_art_upload, services.badge_art_remove):
        extra = {"upload": picture()} if act is services.badge_art_upload else {}
        with pytest.raises(ValidationError) as refused:
            act(actor=w.admin, organization=w.university, achievement_id=achievement_id, **extra)
        assert refused.value.code == "achievement"
        assert refused.value.messages == ["NTU does not issue that achievement. Choose one from its badge art page."]
    assert not BadgeArt.objects.exists()
