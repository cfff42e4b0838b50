"""/impact/export.csv and /impact/export.parquet: the monthly series per measure and dimension, read
back with the csv module, pyarrow and pandas, for every role."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pyarrow.parquet as pq
import pytest
from django.urls import reverse

from forward.impact import exports, rollup
from tests.conftest import client_for

from .conftest import ROLES, TODAY, at

COLUMNS = ["measure", "unit", "dimension", "key", "key_name", "month", "value", "cumulative", "suppressed"]


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def download(world, role, name, **params):
    return client_for(world.users[role]).get(reverse(f"impact:{name}"), params)


def test_the_csv_has_every_months_series_per_measure_and_dimension(world):
    response = download(world, "anonymous", "export_csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="impact-{date.today():%Y-%m-%d}.csv"'
    rows = csv_rows(response)
    assert {(r["measure"], r["dimension"]) for r in rows} == {
        (m, d) for m in ("talents", "funding") for d in ("none", "country", "programme", "university")}
    everyone = [r for r in rows if r["measure"] == "talents" and r["dimension"] == "none"]
    months = [r["month"] for r in everyone]
    # From the first month with data to this month, none left out (those with nobody new say 0).
    assert months[0] == "2024-12" and months[-1] == f"{date.today():%Y-%m}"
    assert len(months) == len(set(months)) == (date.today().year - 2024) * 12 + date.today().month - 11
    assert everyone[-1]["value"] == "0"
    assert everyone[-1]["cumulative"] == "55"
    assert sum(int(r["value"]) for r in everyone) == 55
    singapore = [r for r in rows if r["measure"] == "talents" and r["dimension"] == "country" and r["key"] == "SG"]
    # One or two Singaporeans a month: small groups, withheld for the public, and no running total.
    assert singapore[0]["key_name"] == "Singapore"
    assert all(r["suppressed"] == "true" and r["value"] == "" for r in singapore if r["month"] < "2026-01")
    assert {r["cumulative"] for r in singapore} == {""}
    exact = csv_rows(download(world, "operator", "export_csv", measure="talents", by="country"))
    assert [r for r in exact if r["key"] == "SG"][-1]["cumulative"] == "40"
    usd = [r for r in rows if r["measure"] == "funding" and r["dimension"] == "none" and r["unit"] == "USD"]
    assert usd[-1]["cumulative"] == "750000"  # never summed with SGD
    assert {r["unit"] for r in rows if r["measure"] == "funding"} == {"USD", "SGD"}


@pytest.mark.parametrize("role, sees", [("anonymous", False), ("student", False), ("uni_admin", False),
                                        ("other_admin", False), ("unverified_admin", False), ("operator", True)])
def test_small_groups_are_empty_and_marked_suppressed_for_the_public(world, role, sees):
    rows = csv_rows(download(world, role, "export_csv", measure="talents", by="country"))
    indonesia = [r for r in rows if r["key"] == "ID"]
    arrived = {f"{day:%Y-%m}" for entity, day, *_rest in world.talent_rows if entity >= 3000}
    assert len(arrived) == 3
    for r in indonesia:  # the months someone arrived are withheld; a month of nobody is 0 for all to see
        assert (r["suppressed"], r["value"]) == (("false", "1") if sees else ("true", "")) if r["month"] in arrived \
            else ("false", "0"), r["month"]
    assert indonesia[-1]["cumulative"] == ("3" if sees else "")


def test_a_university_admin_sees_their_own_university_and_no_other(world):
    # Leave National University with 3 people (a small group), Universiti Malaya with its 12.
    del world.talent_rows[3:40]
    rollup.rebuild(now=at(TODAY))

    def row_of(role, university):
        rows = csv_rows(download(world, role, "export_csv", measure="talents", by="university"))
        return [r for r in rows if r["key"] == str(university.pk)][-1]

    assert row_of("uni_admin", world.uni)["cumulative"] == "3"
    for role in ("anonymous", "student", "other_admin", "unverified_admin"):
        assert row_of(role, world.uni)["cumulative"] == "", role
    assert row_of("operator", world.uni)["cumulative"] == "3"
    # Universiti Malaya's months hold one person each: its own admin's to see, not National University's.
    assert row_of("other_admin", world.other_uni)["cumulative"] == "12"
    assert row_of("uni_admin", world.other_uni)["cumulative"] == ""


def test_formulas_in_names_are_neutralised(world):
    world.uni.name = '=HYPERLINK("http://evil.test","x")'
    world.uni.save()
    rows = csv_rows(download(world, "anonymous", "export_csv", measure="talents", by="university"))
    names = {r["key_name"] for r in rows}
    assert "'=HYPERLINK(\"http://evil.test\",\"x\")" in names
    assert not any(name.startswith("=") for name in names)


@pytest.mark.parametrize("role", ROLES)
def test_parquet_reads_back_the_same_rows_as_the_csv_with_pyarrow_and_pandas(world, role):
    response = download(world, role, "export_parquet", measure="talents")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="impact-talents-{date.today():%Y-%m-%d}.parquet"')
    table = pq.read_table(io.BytesIO(response.content))
    assert table.column_names == COLUMNS
    assert str(table.schema.field("value").type) == "int64"
    frame = pd.read_parquet(io.BytesIO(response.content))
    from_csv = csv_rows(download(world, role, "export_csv", measure="talents"))
    assert len(frame) == table.num_rows == len(from_csv)
    for row, line in zip(table.to_pylist(), from_csv, strict=True):
        assert [str(row["key"]), row["month"], "" if row["value"] is None else str(row["value"]),
                "true" if row["suppressed"] else "false"] == [line["key"], line["month"], line["value"],
                                                              line["suppressed"]]
    everyone = frame[(frame.dimension == "none")]
    assert int(everyone.cumulative.iloc[-1]) == 55
    indonesia = frame[(frame.dimension == "country") & (frame.key == "ID")]
    assert int(indonesia.suppressed.sum()) == (0 if role == "operator" else 3)  # its 3 months with someone
    assert bool(indonesia.cumulative.isna().all()) is (role != "operator")


@pytest.mark.parametrize("name", ["export_csv", "export_parquet"])
@pytest.mark.parametrize("params, message", [({"measure": "unicorns"}, "measure: 'unicorns' is not a measure"),
                                             ({"by": "planet"}, "by: use one of none, country")])
def test_bad_parameters_are_400_saying_what_to_fix(world, name, params, message):
    response = download(world, "anonymous", name, **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_series_reads_one_query_per_dimension_and_name_lookup(world, django_assert_max_num_queries):
    # none (1) + country (1) + programme (1, and 1 for names) + university (1, and 1 for names)
    with django_assert_max_num_queries(6):
        rows = exports.series(slugs=["talents", "funding"], dimensions=list(exports.BY_CHOICES),
                              viewer=exports.ANONYMOUS)
    assert len(rows) > 100
