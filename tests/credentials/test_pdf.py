"""The PDF certificate, read back the way a person would: rendered to an image, the QR code scanned,
the text selected; and the LinkedIn "Add to profile" link."""

from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pypdfium2 as pdfium
import zxingcpp
from django.utils import translation

from forward.credentials.linkedin import add_to_profile_url
from forward.credentials.pdf import CertificateContent, font_for, render_certificate

CREDENTIAL_ID = "6f1c2b9e-4d7a-4b8e-9a3f-2c5d8e7f1a0b"
VERIFY_URL = f"https://forward.example.org/credentials/{CREDENTIAL_ID}/"
CONTENT = CertificateContent(
    holder_name="Nur Aisyah binti Rahman", title="Certificate of Achievement",
    achievement_name="Machine Learning Foundations", detail="Distinction · 4 credit units",
    issuer_name="Nanyang Technological University", issued_on=date(2025, 3, 5), valid_until=None,
    verify_url=VERIFY_URL, credential_id=CREDENTIAL_ID)


class Read:
    """A rendered certificate as a reader sees it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        document = pdfium.PdfDocument(data)
        try:
            page = document[0]
            self.pages = len(document)
            self.size = page.get_size()
            self.metadata = document.get_metadata_dict()
            textpage = page.get_textpage()
            self.text = textpage.get_text_range()
            # (left, bottom, right, top) in points
            self.char_boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
            self.image = page.render(scale=200 / 72).to_pil()  # 200 dpi
        finally:
            document.close()

    @property
    def words(self) -> str:
        """The text with line breaks and runs of spaces as single spaces."""
        return " ".join(self.text.split())

    def qr_codes(self) -> list[str]:
        found = zxingcpp.read_barcodes(self.image)
        return [code.text for code in found if code.format == zxingcpp.BarcodeFormat.QRCode]

    def qr_code(self) -> zxingcpp.Barcode:
        (code,) = zxingcpp.read_barcodes(self.image, formats=zxingcpp.BarcodeFormat.QRCode)
        return code


def test_it_is_one_landscape_a4_page_whose_qr_code_opens_the_verification_page():
    read = Read(render_certificate(CONTENT))
    assert read.data.startswith(b"%PDF-")
    assert read.pages == 1
    width, height = read.size
    assert abs(width - 842) <= 1 and abs(height - 595) <= 1
    assert read.qr_codes() == [VERIFY_URL]


def test_the_qr_code_sits_bottom_right_and_is_at_least_30_mm_wide():
    read = Read(render_certificate(CONTENT))
    corners = read.qr_code().position
    pixels_per_mm = 200 / 25.4
    assert (corners.top_right.x - corners.top_left.x) / pixels_per_mm >= 30
    assert corners.top_left.x > read.image.width * 0.75 and corners.top_left.y > read.image.height * 0.6


def test_it_shows_who_earned_what_from_whom_and_when():
    read = Read(render_certificate(CONTENT))
    for text in ("Certificate of Achievement", "This certifies that", "Nur Aisyah binti Rahman", "has earned",
                 "Machine Learning Foundations", "Distinction · 4 credit units",
                 "Nanyang Technological University", "5 Mar 2025", "Scan to verify", VERIFY_URL,
                 CREDENTIAL_ID):
        assert text in read.words, text
    assert "Valid until" not in read.words


def test_it_shows_the_end_of_validity_when_there_is_one():
    read = Read(render_certificate(replace(CONTENT, valid_until=date(2028, 3, 4))))
    assert "Valid until 4 Mar 2028" in read.words


def test_it_leaves_out_an_empty_detail():
    with_detail = Read(render_certificate(CONTENT))
    without = Read(render_certificate(replace(CONTENT, detail="")))
    assert "Distinction" in with_detail.words and "Distinction" not in without.words


def test_it_carries_title_and_author_in_its_metadata():
    read = Read(render_certificate(CONTENT))
    assert read.metadata["Title"] == "Machine Learning Foundations — Nur Aisyah binti Rahman"
    assert read.metadata["Author"] == "Nanyang Technological University"


def test_chinese_text_renders_in_a_cid_font_and_reads_back():
    content = replace(CONTENT, holder_name="陈美玲", achievement_name="云计算基础", issuer_name="浙江大学",
                      title="结业证书", detail="优秀 · 4 学分")
    assert font_for("陈美玲") == "STSong-Light"
    assert font_for("Nur Aisyah binti Rahman") == "Helvetica"
    read = Read(render_certificate(content))
    for text in ("陈美玲", "云计算基础", "浙江大学", "结业证书", "优秀"):
        assert text in read.text, text
    assert read.metadata["Title"] == "云计算基础 — 陈美玲"
    assert read.qr_codes() == [VERIFY_URL]


def test_a_very_long_name_shrinks_to_stay_on_the_page():
    name = ("Maximiliano Alessandro Bartholomew Konstantinos " * 3)[:120]
    assert len(name) == 120 and not name.endswith(" ")
    read = Read(render_certificate(replace(CONTENT, holder_name=name)))
    assert name in read.words
    width, height = read.size
    assert read.char_boxes
    for left, bottom, right, top in read.char_boxes:  # inside the frame drawn 24 pt from the edge
        assert left >= 24 and right <= width - 24, (left, right)
        assert bottom >= 24 and top <= height - 24, (bottom, top)
    assert read.qr_codes() == [VERIFY_URL]


def test_a_long_unbroken_name_also_stays_on_the_page():
    name = "陈" * 120
    read = Read(render_certificate(replace(CONTENT, holder_name=name)))
    width, _height = read.size
    assert all(left >= 24 and right <= width - 24 for left, _bottom, right, _top in read.char_boxes)
    assert name in read.text.replace("\r\n", "")


def test_it_renders_with_the_labels_in_another_language():
    with translation.override("zh-hans"):
        read = Read(render_certificate(replace(CONTENT, valid_until=date(2028, 3, 4))))
    assert read.qr_codes() == [VERIFY_URL]
    assert "Nur Aisyah binti Rahman" in read.words
    assert "2025年3月5日" in read.text  # the language's date format


def test_the_same_content_gives_the_same_bytes():
    assert render_certificate(CONTENT) == render_certificate(CONTENT)


def test_linkedin_link_fills_in_the_certification():
    url = add_to_profile_url(name="Machine Learning Foundations & Ethics",
                             organization_name="Nanyang Technological University", issued_on=date(2025, 3, 5),
                             valid_until=date(2028, 11, 30), cert_url=VERIFY_URL, cert_id=CREDENTIAL_ID)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    assert parse_qs(parts.query, strict_parsing=True) == {
        "startTask": ["CERTIFICATION_NAME"], "name": ["Machine Learning Foundations & Ethics"],
        "organizationName": ["Nanyang Technological University"],
        "issueYear": ["2025"], "issueMonth": ["3"], "expirationYear": ["2028"], "expirationMonth": ["11"],
        "certUrl": [VERIFY_URL], "certId": [CREDENTIAL_ID],
    }


def test_linkedin_link_leaves_out_expiration_when_the_credential_does_not_expire():
    url = add_to_profile_url(name="云计算基础", organization_name="浙江大学", issued_on=date(2025, 12, 1),
                             valid_until=None, cert_url=VERIFY_URL, cert_id=CREDENTIAL_ID)
    query = parse_qs(urlsplit(url).query, strict_parsing=True)
    assert "expirationYear" not in query and "expirationMonth" not in query
    assert query["name"] == ["云计算基础"] and query["organizationName"] == ["浙江大学"]
    assert query["issueYear"] == ["2025"] and query["issueMonth"] == ["12"]


def _page_texts(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


def test_a_watermark_is_set_on_every_page_and_the_qr_code_still_scans():
    data = render_certificate(replace(CONTENT, watermark="REVOKED"))
    texts = _page_texts(data)
    assert texts and all("REVOKED" in text for text in texts)
    read = Read(data)
    assert read.qr_codes() == [VERIFY_URL]  # it opens the page that says revoked
    assert "Machine Learning Foundations" in read.words  # the certificate stays readable under it
    assert "REVOKED" not in Read(render_certificate(CONTENT)).words


def test_a_translated_watermark_in_chinese_reads_back():
    read = Read(render_certificate(replace(CONTENT, watermark="已撤销")))
    assert "已撤销" in read.text
    assert read.qr_codes() == [VERIFY_URL]
