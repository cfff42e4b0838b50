"""GET /api/v1/impact/measures and /api/v1/impact/measures/{slug}: public reads.

Anyone may call them; a token or a session still identifies the caller, who then gets their rights
(``exports.Viewer``): operators see small groups unsuppressed, a verified university's staff their
own university's part. Otherwise a slice narrower than the whole platform, a month of it or a
breakdown's row counting fewer than ``selectors.SMALL_GROUP`` entities is withheld: its value is null
(and ``suppressed`` true). Where a single withheld month or row could be worked out from the total, the
smallest other is withheld too (``selectors.suppression``), and the running totals are left out.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext as _
from django_countries import countries
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from forward.api_auth import PUBLIC
from forward.api_common import PUBLIC_SECURITY, Slug, errors

from . import exports, measures, permissions, progress, selectors
from .forecast import status_rule
from .models import Daily, RollupState, Target
from .selectors import DIMENSIONS, Filters

router = Router(tags=["impact"])

NOT_FOUND = "Not found."
MAX_ID = 2**31 - 1
DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


# --- schemas ----------------------------------------------------------------------------------------


class UnitTotalOut(Schema):
    unit: str = Field(description="ISO 4217 currency of a money measure; empty for a count")
    value: int


class ForecastOut(Schema):
    value: float = Field(description="the forecast running total at the end of the deadline's month")
    low: float = Field(description="lower end of the interval")
    high: float = Field(description="upper end of the interval")
    level: float = Field(description="the interval's coverage, e.g. 0.8")
    method: str


class ScopeOut(Schema):
    country: str | None = Field(None, description="ISO 3166 code, or null for all countries")
    programme: int | None = Field(None, description="programme id, or null for all")
    programme_name: str | None = None
    university: int | None = Field(None, description="university organization id, or null for all")
    university_name: str | None = None


class TargetOut(Schema):
    id: int
    title: str
    unit: str
    scope: ScopeOut
    value: int = Field(description="the target value")
    starts_on: date
    deadline: date
    current: int = Field(description="counted in the scope from starts_on to today")
    status: str = Field(description="met, missed, on_track, at_risk or off_track")
    status_label: str
    forecast: ForecastOut | None


class MeasureOut(Schema):
    slug: str
    name: str
    definition: str
    noun: str
    money: bool
    units: list[str] = Field(description="the currencies of a money measure; [\"\"] for a count")
    totals: list[UnitTotalOut] = Field(description="all time, per unit")
    targets: list[TargetOut]
    computed_at: str | None = Field(description="when the measure's rollup last ran (ISO 8601, UTC)")


class MeasureList(Schema):
    status_rule: str
    results: list[MeasureOut]


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    value: int | None = Field(description="new that month; null when suppressed")
    cumulative: int | None = Field(description="running total from `from` (or the first month); null when suppressed")


class CellOut(Schema):
    key: str | int = Field(description="country code (\"\" unknown), programme or university id (0 none)")
    name: str
    value: int | None = Field(description="null when suppressed")
    suppressed: bool


class SliceOut(Schema):
    country: str | None = None
    programme: int | None = None
    university: int | None = None
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    unit: str


class MeasureDetailOut(Schema):
    slug: str
    name: str
    definition: str
    noun: str
    money: bool
    units: list[str]
    slice: SliceOut
    total: int | None = Field(description="the slice's total; null when suppressed")
    suppressed: bool
    monthly: list[MonthOut]
    breakdowns: dict[str, list[CellOut]] = Field(description="by country, programme and university, largest first")
    computed_at: str | None


# --- helpers ----------------------------------------------------------------------------------------


def _measure(request, slug: str) -> measures.Measure:
    measure = measures.get(slug)
    if measure is None or not (measure.public or permissions.sees_everything(request.auth)):
        raise HttpError(404, NOT_FOUND)
    return measure


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _target_out(p: progress.Progress) -> dict:
    target, f = p.target, p.forecast
    return {
        "id": target.pk, "title": target.title or str(p.measure.name), "unit": target.unit,
        "scope": {"country": target.country.code if target.country else None, "programme": target.programme_id,
                  "programme_name": target.programme.title if target.programme is not None else None,
                  "university": target.university_id,
                  "university_name": target.university.name if target.university is not None else None},
        "value": target.value, "starts_on": target.starts_on, "deadline": target.deadline, "current": p.current,
        "status": str(p.status), "status_label": str(p.status_label),
        "forecast": {"value": f.value, "low": f.low, "high": f.high, "level": f.level, "method": str(f.method)}
        if f is not None else None,
    }


def _day(name: str, text: str | None, *, end: bool) -> date | None:
    """YYYY-MM-DD, or YYYY-MM for the month's first (from) or last (to) day."""
    if text is None or text == "":
        return None
    match = DATE.match(text)
    try:
        if match is None:
            raise ValueError
        year, month, day = int(match[1]), int(match[2]), match[3]
        if day is None:
            return date(year, month, monthrange(year, month)[1] if end else 1)
        return date(year, month, int(day))
    except ValueError:
        raise HttpError(400, _("%(name)s: '%(value)s' is not a date; write YYYY-MM-DD or YYYY-MM.")
                        % {"name": name, "value": text[:40]}) from None


def _check_id(name: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= MAX_ID:
        raise HttpError(400, _("%(name)s: %(value)s is not an id (0 means none).") % {"name": name, "value": value})


# --- endpoints --------------------------------------------------------------------------------------


@router.get("/measures", response={200: MeasureList, **errors(401)}, auth=PUBLIC, openapi_extra=PUBLIC_SECURITY,
            summary="Every measure with its totals and targets",
            description="Each measure's definition, all-time totals per unit, and its targets with the current "
                        "value, the forecast at the deadline (with its interval) and a status whose rule is "
                        "`status_rule`.")
def measure_list(request):
    visible = exports.visible_measures(request.auth)
    slugs = [m.slug for m in visible]
    totals: dict[str, list[dict]] = {slug: [] for slug in slugs}
    for row in (Daily.objects.filter(measure__in=slugs, grouping=0).values("measure", "unit")
                .annotate(value=Sum("value")).order_by("measure", "unit")):
        totals[row["measure"]].append({"unit": row["unit"], "value": row["value"]})
    computed = dict(RollupState.objects.filter(measure__in=slugs).values_list("measure", "computed_at"))
    targets: dict[str, list[dict]] = {slug: [] for slug in slugs}
    for target in Target.objects.filter(measure__in=slugs).select_related("programme", "university"):
        targets[target.measure].append(_target_out(progress.progress(target)))
    results = []
    for m in visible:
        found = totals[m.slug] or ([] if m.money else [{"unit": "", "value": 0}])
        results.append({"slug": m.slug, "name": str(m.name), "definition": str(m.definition), "noun": str(m.noun),
                        "money": m.money, "units": [t["unit"] for t in found] or [""], "totals": found,
                        "targets": targets[m.slug], "computed_at": _iso(computed.get(m.slug))})
    return {"status_rule": status_rule(), "results": results}


@router.get("/measures/{slug}", response={200: MeasureDetailOut, **errors(400, 401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, by_alias=True, summary="One measure in a slice: total, months, breakdowns",
            description="The slice is the filters given (none: the whole platform): `country` an ISO 3166 code, "
                        "`programme` and `university` ids (0: none), `from` and `to` dates (YYYY-MM-DD, or "
                        "YYYY-MM for a whole month), `unit` the currency of a money measure (needed when it has "
                        "amounts in several). Months without anything new are left out of `monthly`.")
def measure_detail(request, slug: Slug, country: str | None = None, programme: int | None = None,
                   university: int | None = None, date_from: str | None = Query(None, alias="from"),
                   date_to: str | None = Query(None, alias="to"), unit: str | None = None):
    measure = _measure(request, slug)
    if country:
        country = country.upper()
        if country not in dict(countries):
            raise HttpError(400, _("country: '%(code)s' is not an ISO 3166 code.") % {"code": country[:40]})
    _check_id("programme", programme)
    _check_id("university", university)
    since, until = _day("from", date_from, end=False), _day("to", date_to, end=True)
    if since and until and since > until:
        raise HttpError(400, _("from (%(since)s) is after to (%(until)s).") % {"since": since, "until": until})
    units = selectors.units(measure.slug)
    if not measure.money:
        if unit:
            raise HttpError(400, _("unit: %(slug)s is a count and has no unit; leave unit out.") % {"slug": slug})
        unit = ""
    elif unit:
        unit = unit.upper()
        if unit not in units:
            raise HttpError(400, _("unit: %(slug)s has no amounts in '%(unit)s'; use one of %(units)s.")
                            % {"slug": slug, "unit": unit[:10], "units": ", ".join(units)})
    elif len(units) > 1:
        raise HttpError(400, _("unit: %(slug)s has amounts in %(units)s, never added together; choose one.")
                        % {"slug": slug, "units": ", ".join(units)})
    else:
        unit = units[0]

    filters = Filters(country=country or None, programme=programme, university=university)
    viewer = exports.Viewer.of(request.auth)
    everything = not filters.lookups()
    total = selectors.total(measure.slug, unit=unit, filters=filters, since=since, until=until)
    hidden = viewer.hides(entities=total.entities, university=university, everything_slice=everything)
    exact = everything or viewer.unsuppressed(university=university)
    months = selectors.monthly(measure.slug, unit=unit, filters=filters, since=since, until=until)
    flags = [hidden or bool(flag) for flag in
             selectors.suppression([a.entities for _m, a in months], [exact] * len(months))]
    monthly, running = [], 0
    for (month, amount), withheld in zip(months, flags, strict=True):
        running += amount.value
        monthly.append({"month": f"{month:%Y-%m}", "value": None if withheld else amount.value,
                        # a running total past a withheld month would give it away
                        "cumulative": None if any(flags) else running})
    breakdowns = {}
    for by in DIMENSIONS:
        cells = selectors.breakdown(measure.slug, by=by, unit=unit, filters=filters, since=since, until=until)
        names = exports.key_names(by, [key for key, _amount in cells])
        cell_flags = selectors.suppression(
            [a.entities for _k, a in cells],
            [viewer.unsuppressed(university=university if by != "university" else key) for key, _a in cells])
        breakdowns[by] = [{"key": key, "name": str(names[key]), "value": None if flag or hidden else amount.value,
                           "suppressed": bool(flag) or hidden}
                          for (key, amount), flag in zip(cells, cell_flags, strict=True)]
    state = RollupState.objects.filter(measure=measure.slug).values_list("computed_at", flat=True).first()
    return {"slug": measure.slug, "name": str(measure.name), "definition": str(measure.definition),
            "noun": str(measure.noun), "money": measure.money, "units": units,
            "slice": {"country": country or None, "programme": programme, "university": university,
                      "from": since, "to": until, "unit": unit},
            "total": None if hidden else total.value, "suppressed": hidden, "monthly": monthly,
            "breakdowns": breakdowns, "computed_at": _iso(state)}
