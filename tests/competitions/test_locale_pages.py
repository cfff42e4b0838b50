"""Issue 12 §6: competition pages on a phone and in the reader's language (dates, round names, the
chart's baseline label, scoring errors)."""

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from forward import scoring
from forward.competitions import submissions
from forward.competitions.models import Phase, Submission
from forward.competitions.scoring_messages import recognise, translate_scoring_error
from forward.core.templatetags.forward import datetime_tz
from tests.competitions.conftest import IDS, predictions_csv, solution_csv, upload


def _page(client, url, language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _cells_without_label(html: str, testid: str) -> list[str]:
    table = re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>.*</tbody>", table, re.S).group(0)
    return [cell for cell in re.findall(r"<td[^>]*>", body) if "data-label=" not in cell]


def test_every_leaderboard_and_submission_cell_has_a_label_for_the_phone_layout(client, world, team):
    submissions.baseline_submit(actor=world.host_user, phase=world.phase, upload=upload(predictions_csv()))
    submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    client.force_login(world.alice)
    board = _page(client, reverse("competitions:leaderboard", args=[world.competition.slug]))
    assert "baseline-row" in board and "Gradient Gang" in board
    assert _cells_without_label(board, "leaderboard") == []
    assert 'data-label="Team"' in board and 'data-label="Score"' in board
    mine = _page(client, reverse("competitions:submissions", args=[world.competition.slug]))
    assert _cells_without_label(mine, "submissions") == []
    assert 'data-label="Public score"' in mine


def test_dates_follow_the_language_chinese_reads_year_month_day(client, world):
    Phase.objects.filter(pk=world.phase.pk).update(starts_at=datetime(2026, 9, 3, 14, 30, tzinfo=UTC),
                                                   ends_at=datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    url = reverse("competitions:detail", args=[world.competition.slug])
    chinese = _page(client, url, "zh-hans")
    assert "2026年9月3日 14:30" in chinese and "2026年10月5日 09:00 UTC" in chinese
    assert "九月" not in chinese
    english = _page(client, url)
    assert "3 Sep 2026 14:30" in english and "5 Oct 2026 09:00 UTC" in english
    listing = _page(client, reverse("competitions:list"), "zh-hans")
    assert "2026年10月5日" in listing


def test_datetime_tz_keeps_the_locale_order_and_names_the_zone():
    moment = datetime(2026, 9, 3, 14, 30, tzinfo=UTC)
    with translation.override("zh-hans"):
        assert datetime_tz(moment) == "2026年9月3日 14:30 UTC"
        assert datetime_tz(moment, "TIME_FORMAT") == "14:30 UTC"
    with translation.override("en"):
        assert datetime_tz(moment) == "3 Sep 2026 14:30 UTC"
    assert datetime_tz(None) == ""


def test_the_default_round_name_is_shown_in_the_readers_language(client, world):
    assert world.phase.name == "Main round"  # stored in English, whatever the creator's language
    url = reverse("competitions:detail", args=[world.competition.slug])
    assert "正式赛" in _page(client, url, "zh-hans")
    # A row created before this change holds the creator's translation: English readers see English.
    Phase.objects.filter(pk=world.phase.pk).update(name="正式赛")
    english = _page(client, url)
    assert "Main round" in english and "正式赛" not in english
    # A host's own name is left as written.
    Phase.objects.filter(pk=world.phase.pk).update(name="Semi-final")
    assert "Semi-final" in _page(client, url, "zh-hans")


def test_the_charts_baseline_label_comes_translated_from_the_page(client, world, team):
    submissions.baseline_submit(actor=world.host_user, phase=world.phase, upload=upload(predictions_csv()))
    client.force_login(world.alice)
    board = _page(client, reverse("competitions:leaderboard", args=[world.competition.slug]), "zh-hans")
    assert 'data-baseline-label="主办方基线"' in board


def _library_messages(tmp_path) -> list[str]:
    """The participant-facing messages the scoring library writes for bad files."""
    solution_path = tmp_path / "solution.csv"
    solution_path.write_bytes(solution_csv())
    solution = scoring.load_solution(solution_path, "auc")
    bad_files = [
        predictions_csv([float("nan")] + [0.5] * 19),
        predictions_csv([1.5] + [0.5] * 19),
        predictions_csv(ids=IDS[:-3]),
        predictions_csv(ids=[*IDS[:-1], 999]),
        predictions_csv(ids=[*IDS[:-1], 1]),
        predictions_csv(header="id,prediction"),
        predictions_csv(header="id,target,extra"),
        b"id,target\n",
    ]
    messages = []
    for i, content in enumerate(bad_files):
        path = tmp_path / f"bad{i}.csv"
        path.write_bytes(content)
        with pytest.raises(scoring.SubmissionError) as caught:
            scoring.score(solution, path)
        messages.append(str(caught.value))
    return messages


def test_the_scoring_librarys_messages_are_all_recognised(tmp_path):
    messages = _library_messages(tmp_path)
    assert len(set(messages)) == len(messages)
    assert [m for m in messages if not recognise(m)] == []
    from forward.scoring.isolation import memory_message, time_message

    assert recognise(memory_message(2048)) and recognise(time_message(60.0))
    # Unknown text (an operator's message, a future library message) is shown as written.
    assert translate_scoring_error("Something new.") == "Something new."
    with translation.override("en"):
        for message in messages:
            assert translate_scoring_error(message) == message


@pytest.fixture
def chinese_nan_message():
    """The Chinese translation of one scoring message, as the translators will add it to the catalogue."""
    msgid = "Line %(line)s: %(column)s is %(value)s; NaN and infinity are not allowed."
    catalog = trans_real.translation("zh-hans")._catalog
    had = msgid in catalog
    catalog[msgid] = "第 %(line)s 行：%(column)s 为 %(value)s；不允许 NaN 和无穷大。"
    yield
    if not had:
        for part in catalog._catalogs:
            part.pop(msgid, None)


def test_a_scoring_error_is_shown_in_chinese(client, world, team, chinese_nan_message):
    bad = submissions.submission_create(user=world.alice, phase=world.phase,
                                        upload=upload(predictions_csv([float("nan")] + [0.5] * 19)))
    bad = Submission.objects.get(pk=bad.pk)
    assert bad.error == "Line 2: target is nan; NaN and infinity are not allowed."
    client.force_login(world.alice)
    page = _page(client, reverse("competitions:submissions", args=[world.competition.slug]), "zh-hans")
    assert "第 2 行：target 为 nan；不允许 NaN 和无穷大。" in page
    assert "NaN and infinity are not allowed" not in page
