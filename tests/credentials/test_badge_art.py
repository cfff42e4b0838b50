"""Badge art: each achievement drawn as a badge (SVG and PNG), served publicly, carried as the Open
Badges `image` of new credentials, and shown in the wallet, on the credential and verify pages and
in the PDF."""

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import jsonschema
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.conf import settings
from PIL import Image

from forward.core.models import OrganizationKind
from forward.credentials import badge_art, documents, selectors, services
from forward.credentials.models import Credential, CredentialKind
from tests.conftest import client_for, make_organization, make_user

from .conftest import release
from .test_issuing import SCHEMA

SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE_TITLES = [
    "<script>alert(1)</script>",
    '"]]><script>alert(1)</script><![CDATA[',
    "Data\" onload=\"alert(1)\" x=\"",
    "<foreignObject><iframe src=https://evil.example/></iframe></foreignObject>",
    "<a xlink:href=\"javascript:alert(1)\">click</a> & <image href=\"https://evil.example/x.png\"/>",
    "control\x00chars\x1b and \ufffe in a title",
    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;",
]
EVERY_KIND = [
    ("course_completion", {}),
    ("course_achievement", {"designation": "merit"}),
    ("course_achievement", {"designation": "distinction"}),
    ("programme", {"credits": 12}),
    ("certification", {"level": 1}),
    ("certification", {"level": 2}),
    ("certification", {"level": 3}),
    ("competition", {"rank": 1, "teams": 40}),
    ("competition", {"rank": 2, "teams": 40}),
    ("competition", {"rank": 3, "teams": 40}),
    ("competition", {"rank": 4, "teams": 40}),
]


def _parse(svg: str) -> ET.Element:
    assert "<!DOCTYPE" not in svg and "<!ENTITY" not in svg
    return ET.fromstring(svg.encode())  # noqa: S314 - our own output, parsed to check it


def _assert_inert(root: ET.Element) -> None:
    """Nothing in it runs script or reaches outside the document."""
    for element in root.iter():
        tag = element.tag.removeprefix(SVG_NS)
        assert tag not in ("script", "foreignObject", "iframe", "image", "a", "use", "style"), tag
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            assert not local.lower().startswith("on"), name
            assert local != "href", name
            assert "javascript:" not in value.lower()
            for ref in re.findall(r"url\(([^)]*)\)", value):
                assert ref.startswith("#"), value


def _texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG_NS}text")]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
@pytest.mark.parametrize(("kind", "facts"), [EVERY_KIND[0], EVERY_KIND[3], EVERY_KIND[6], EVERY_KIND[7]])
def test_the_svg_is_well_formed_and_inert_whatever_the_title(kind, facts, title):
    svg = badge_art.svg(badge_art.badge_for(kind=kind, title=title, facts=facts, scheme_key="k"))
    root = _parse(svg)
    assert root.tag == f"{SVG_NS}svg" and root.get("viewBox") == "0 0 600 600"
    _assert_inert(root)
    # the title's words are there, as text (wrapped over lines, control characters dropped)
    shown = "".join(_texts(root)).replace(" ", "")
    visible = badge_art.clean(title).replace(" ", "")
    assert visible[:12] in shown
    assert "\x00" not in svg and "\x1b" not in svg


def test_the_svg_says_what_it_shows_for_screen_readers():
    badge = badge_art.badge_for(kind="certification", title="Cloud Architect", facts={"level": 2}, scheme_key="k")
    root = _parse(badge_art.svg(badge))
    assert root.get("role") == "img"
    assert root.find(f"{SVG_NS}title").text == "Cloud Architect · Certification · Professional" == badge.caption


def test_the_png_is_600_pixels_square_with_a_transparent_background():
    data = badge_art.png(badge_art.badge_for(kind="programme", title="MiniMasters in Data Science",
                                             facts={"credits": 12}, scheme_key="k"))
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (600, 600) and image.mode == "RGBA"
    assert image.getpixel((2, 2))[3] == 0 and image.getpixel((300, 300))[3] == 255


def test_every_type_and_level_has_its_own_art_and_the_same_achievement_always_the_same():
    svgs = {badge_art.svg(badge_art.badge_for(kind=k, title="Data Science", facts=f, scheme_key="k"))
            for k, f in EVERY_KIND}
    assert len(svgs) == len(EVERY_KIND)
    pngs = {badge_art.png(badge_art.badge_for(kind=k, title="Data Science", facts=f, scheme_key="k"))
            for k, f in (EVERY_KIND[0], EVERY_KIND[4], EVERY_KIND[6], EVERY_KIND[7], EVERY_KIND[10])}
    assert len(pngs) == 5
    again = badge_art.badge_for(kind="certification", title="Data Science", facts={"level": 3}, scheme_key="k")
    assert badge_art.png(again) == badge_art.png(again) and badge_art.svg(again) in svgs


def test_shapes_and_medals_follow_the_type_and_place():
    def badge(kind, **facts):
        return badge_art.badge_for(kind=kind, title="T", facts=facts, scheme_key="k")

    assert [badge(k).shape for k in ("course_completion", "programme", "certification", "competition")] == [
        "shield", "seal", "hexagon", "medal"]
    assert [badge("certification", level=n).ribbon for n in (1, 2, 3)] == ["Associate", "Professional", "Expert"]
    assert [badge("competition", rank=n).metal.name for n in (1, 2, 3)] == ["gold", "silver", "bronze"]
    assert badge("competition", rank=9).metal is None and badge("competition", rank=9).ribbon == "Top 10%"
    assert badge("certification", level="nonsense").stars == 1  # bad facts fall back, never fail


def test_the_colour_scheme_is_the_achievements_whatever_the_title():
    schemes = {badge_art.scheme_for(f"https://forward.example/courses/c{i}") for i in range(40)}
    assert len(schemes) > 4  # achievements are told apart by colour
    one = badge_art.badge_for(kind="course_completion", title="A", scheme_key="https://x/courses/a")
    other = badge_art.badge_for(kind="course_completion", title="B", scheme_key="https://x/courses/a")
    assert one.scheme == other.scheme


def test_chinese_titles_are_drawn_in_the_png():
    """With a CJK font, different characters give different pixels (missing glyphs would all be the same box)."""
    def png(title):
        return badge_art.png(badge_art.badge_for(kind="certification", title=title, facts={"level": 1}, scheme_key="k"))

    assert png("云计算工程师") != png("大数据工程师")


def test_long_titles_are_cut_to_two_lines():
    title = "Advanced Distributed Systems Engineering for Large Scale Cloud Native Platforms and Beyond " * 3
    root = _parse(badge_art.svg(badge_art.badge_for(kind="course_completion", title=title, scheme_key="k")))
    title_lines = [t for t in _texts(root) if t not in ("COURSE", "COMPLETION")]
    assert len(title_lines) == 2 and title_lines[-1].endswith("…")


# --- served, issued, shown -----------------------------------------------------------------------------

@pytest.fixture
def issued(cohort):
    release(cohort)
    cohort.credential = Credential.objects.get(recipient=cohort.pass_, kind=CredentialKind.COURSE_COMPLETION)
    cohort.unverified_admin = make_user("admin@new.test", "New Admin")
    make_organization(creator=cohort.unverified_admin, name="New University", kind=OrganizationKind.UNIVERSITY,
                      country="MY", verified=False)
    return cohort


def _url(credential, fmt):
    return f"/credentials/{credential.uuid}/badge.{fmt}"


@pytest.mark.parametrize("who", ["anonymous", "holder", "plain_member", "other_admin", "unverified_admin",
                                 "operator"])
def test_anyone_sees_a_badge_as_svg_and_png_with_a_strict_policy(issued, who):
    user = None if who == "anonymous" else issued.pass_ if who == "holder" else getattr(issued, who)
    client = client_for(user)
    svg = client.get(_url(issued.credential, "svg"))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert svg["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert svg["X-Content-Type-Options"] == "nosniff"
    _assert_inert(_parse(svg.content.decode()))
    png = client.get(_url(issued.credential, "png"))
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png["X-Content-Type-Options"] == "nosniff"
    assert png["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    assert Image.open(io.BytesIO(png.content)).size == (600, 600)
    assert "max-age" in png["Cache-Control"] and "public" in png["Cache-Control"]


def test_a_badge_is_cached_by_its_etag(issued):
    client = client_for(None)
    first = client.get(_url(issued.credential, "png"))
    again = client.get(_url(issued.credential, "png"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    svg = client.get(_url(issued.credential, "svg"))
    assert svg["ETag"] != first["ETag"]  # one tag per format
    assert client.get(_url(issued.credential, "png")).content == first.content


def test_a_forged_id_has_no_badge(issued):
    client = client_for(None)
    for fmt in ("svg", "png"):
        assert client.get(f"/credentials/00000000-0000-4000-8000-000000000000/badge.{fmt}").status_code == 404
        assert client.get(f"/credentials/not-a-uuid/badge.{fmt}").status_code == 404


def test_a_new_credential_carries_its_badge_as_the_achievements_image_and_still_validates(issued):
    credential = issued.credential
    document = json.loads(credential.document)
    image = document["credentialSubject"]["achievement"]["image"]
    assert image == {"id": f"{settings.SITE_URL}/credentials/{credential.uuid}/badge.png", "type": "Image",
                     "caption": selectors.badge(credential).caption}
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft201909Validator)
    assert selectors.verify_data(credential.document).ok and selectors.verify_data(credential.jwt).ok
    # the image's URL is where the badge is served
    path = image["id"].removeprefix(settings.SITE_URL)
    assert client_for(None).get(path)["Content-Type"] == "image/png"
    # every holder of one achievement gets its own image URL; the course's other tier looks alike in colour
    achievement = Credential.objects.get(recipient=issued.top, kind=CredentialKind.COURSE_ACHIEVEMENT)
    completion = Credential.objects.get(recipient=issued.top, kind=CredentialKind.COURSE_COMPLETION)
    assert selectors.badge(achievement).scheme == selectors.badge(completion).scheme
    assert badge_art.svg(selectors.badge(achievement)) != badge_art.svg(selectors.badge(completion))


def test_a_credential_signed_before_badges_keeps_its_payload_and_still_shows_its_badge(cohort, monkeypatch):
    plain = documents.credential_document

    def without_badge(**kwargs):
        kwargs.pop("badge", None)
        return plain(**kwargs)

    monkeypatch.setattr(services.documents, "credential_document", without_badge)
    release(cohort)
    credential = Credential.objects.get(recipient=cohort.pass_, kind=CredentialKind.COURSE_COMPLETION)
    assert "image" not in json.loads(credential.document)["credentialSubject"]["achievement"]
    client = client_for(None)
    page = client.get(f"/credentials/{credential.uuid}/").content.decode()
    assert f'src="/credentials/{credential.uuid}/badge.svg"' in page
    assert client.get(_url(credential, "png")).status_code == 200
    assert selectors.verify_stored(credential).ok


def test_an_uploaded_image_the_awarding_app_gives_is_kept(issued):
    award = documents.Award(recipient=issued.top, issuer=issued.university, kind="course_completion",
                            achievement_key="x", name="X",
                            achievement={"id": "https://x/a", "type": ["Achievement"], "name": "X",
                                         "image": {"id": "https://x/art.png", "type": "Image"}})
    document = documents.credential_document(award=award, credential_uuid=issued.credential.uuid, issuer_url="u",
                                             status={}, valid_from=datetime(2026, 1, 1, tzinfo=UTC),
                                             badge=documents.image(url="https://site/b.png"))
    assert document["credentialSubject"]["achievement"]["image"] == {"id": "https://x/art.png", "type": "Image"}
    assert award.achievement["image"] == {"id": "https://x/art.png", "type": "Image"}


def test_the_credential_page_shows_the_badge_and_offers_it_to_linkedin_as_og_image(issued):
    credential = issued.credential
    page = client_for(None).get(f"/credentials/{credential.uuid}/").content.decode()
    assert f'<meta property="og:image" content="http://testserver/credentials/{credential.uuid}/badge.png">' in page
    assert '<meta property="og:image:width" content="600">' in page
    assert re.search(rf'<img class="badge-art" src="/credentials/{credential.uuid}/badge.svg"[^>]*alt="[^"]+"', page)


def test_a_revoked_credential_keeps_its_badge_and_its_page_says_revoked(issued):
    services.revoke(actor=issued.operator, credential=issued.credential, reason="Plagiarism")
    client = client_for(None)
    assert client.get(_url(issued.credential, "svg")).status_code == 200
    assert client.get(_url(issued.credential, "png")).status_code == 200
    page = client.get(f"/credentials/{issued.credential.uuid}/").content.decode()
    assert 'data-testid="revoked-note"' in page and 'data-testid="badge"' in page


def test_the_wallet_shows_each_credentials_badge(issued, django_assert_max_num_queries):
    client = client_for(issued.top)
    page = client.get("/credentials/").content.decode()
    for credential in Credential.objects.filter(recipient=issued.top):
        assert f'src="/credentials/{credential.uuid}/badge.svg"' in page
    with django_assert_max_num_queries(12):  # as without badges: the images are fetched by the browser
        client.get("/credentials/")


def test_the_verify_page_shows_the_badge_of_a_genuine_credential_only(issued):
    client = client_for(None)
    page = client.post("/credentials/verify/", {"credential": issued.credential.jwt}).content.decode()
    assert f'src="/credentials/{issued.credential.uuid}/badge.svg"' in page
    document = json.loads(issued.credential.document)
    document["name"] = "Something grander"
    forged = client.post("/credentials/verify/", {"credential": json.dumps(document)}).content.decode()
    assert "Not verified" in forged and "badge.svg" not in forged


def test_the_pdf_carries_the_badge(issued):
    response = client_for(issued.pass_).get(f"/credentials/{issued.credential.uuid}/certificate.pdf")
    document = pdfium.PdfDocument(response.content)
    try:
        page = document[0]
        images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        assert len(images) == 1
        left, bottom, right, top = images[0].get_bounds()
        assert 100 <= right - left <= 120 and 100 <= top - bottom <= 120  # points
        assert right < page.get_width() - 150 and bottom < 200  # in the foot, left of the QR code
        rendered = page.render(scale=1).to_pil().convert("RGB")
        colours = {rendered.getpixel((int(x), int(page.get_height() - y))) for x in range(int(left) + 30, int(right) - 30, 7)
                   for y in range(int(bottom) + 30, int(top) - 30, 7)}
        assert any(max(c) - min(c) > 60 for c in colours)  # colour, not the page's greys
    finally:
        document.close()


@pytest.mark.parametrize("achievement_id, base", [
    ("https://forward.test/achievements/course/cloud-101#distinction", "https://forward.test/achievements/course/cloud-101"),
    ("https://forward.test/achievements/course/cloud-101", "https://forward.test/achievements/course/cloud-101"),
    # The fragment starts at the first "#" (RFC 3986): whatever follows, however odd, is the tier.
    ("https://forward.test/achievements/competition/7#rank#1", "https://forward.test/achievements/competition/7"),
    ("", ""),
])
def test_every_tier_of_an_achievement_shares_its_badge_art(achievement_id, base):
    assert selectors.achievement_base(achievement_id) == base
