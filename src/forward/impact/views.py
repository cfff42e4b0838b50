"""Impact pages: the public page, a measure's page with its breakdowns, and the rows behind a number.

Views parse the query, check permission (``permissions``) and read through ``selectors`` and
``progress``; the few Daily rows they sum keep the number of queries the same whatever the size of
the platform. Small groups are suppressed ("< 5") for everyone but operators, and for a verified
university's acting staff inside their own university's slice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Min, Sum
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django_countries import countries

from forward.academy.models import Programme
from forward.core.models import Organization

from . import charts, exports, measures, permissions, progress, selectors
from .forecast import STATUS_RULE
from .models import Fact
from .selectors import Amount, Filters

FUNNEL = [("learners", gettext_lazy("Enrolled")), ("completers", gettext_lazy("Completed a course")),
          ("certified", gettext_lazy("Certified")), ("applicants", gettext_lazy("Applied")),
          ("placements", gettext_lazy("Placed"))]
ROWS_PER_PAGE = 50
MAX_KEY = 2**31 - 1  # programme and university keys are 32-bit integers in the rollup tables
UNKNOWN_COUNTRY = "unknown"  # the query value for rows whose country is not known ("" in the rollup)
FORECAST_LEVEL = 80
OUTCOME_ROWS = 12  # universities in the public page's cohort outcomes chart, the largest first


@dataclass
class Cell:
    label: str
    text: str  # the figure as shown ("1,234", "< 5")
    value: int | None  # None when suppressed
    url: str = ""
    key: object = None


class Window(TypedDict):
    """A measure page's slice, as the selectors' keyword arguments."""

    unit: str
    filters: Filters
    since: date | None
    until: date | None


def figure(amount: Amount, *, withheld: str = "", unit: str = "") -> Cell:
    """A figure as shown; `withheld` (``selectors.suppression``'s flag) shows "< 5" or a dash instead."""
    if withheld:
        return Cell(label="", text=charts.suppressed_text(withheld), value=None)
    text = charts.number(amount.value)
    return Cell(label="", text=f"{text} {unit}" if unit else text, value=amount.value)


# --- query parameters ---------------------------------------------------------------------------------

@dataclass
class Query:
    filters: Filters = field(default_factory=Filters)
    since: date | None = None
    until: date | None = None
    unit: str = ""
    errors: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)  # the valid parameters, to build links with

    def link(self, base: str, **changes) -> str:
        params = {**self.params, **{k: str(v) for k, v in changes.items() if v is not None}}
        for k, v in changes.items():
            if v is None:
                params.pop(k, None)
        return f"{base}?{urlencode(params)}" if params else base


def _key(request, name: str, label: str, errors: list[str]) -> int | None:
    raw = request.GET.get(name, "").strip()
    if raw == "":
        return None
    if not raw.isdigit() or int(raw) > MAX_KEY:
        errors.append(_("%(name)s must be a whole number (0 for none); “%(value)s” is not.") % {
            "name": label, "value": raw[:40]})
        return None
    return int(raw)


def _day(request, name: str, label: str, errors: list[str]) -> date | None:
    raw = request.GET.get(name, "").strip()
    if raw == "":
        return None
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(_("%(name)s must be a date written YYYY-MM-DD, such as 2026-01-31; “%(value)s” is not.") % {
            "name": label, "value": raw[:40]})
        return None


def parse_query(request, measure: measures.Measure) -> Query:
    errors: list[str] = []
    params: dict[str, str] = {}
    country = request.GET.get("country", "").strip()
    if country:
        if country.lower() == UNKNOWN_COUNTRY:
            country, params["country"] = "", UNKNOWN_COUNTRY
        elif len(country) == 2 and countries.alpha2(country.upper()):
            country = params["country"] = country.upper()
        else:
            errors.append(_("“%(value)s” is not a country code: use two letters such as SG, or “unknown”.") % {
                "value": country[:40]})
            country = None
    else:
        country = None
    programme = _key(request, "programme", _("Programme"), errors)
    university = _key(request, "university", _("University"), errors)
    since = _day(request, "from", pgettext("the first day of a date range", "From"), errors)
    until = _day(request, "to", pgettext("the last day of a date range", "To"), errors)
    if since and until and since > until:
        errors.append(_("“From” (%(since)s) is after “To” (%(until)s): swap them.") % {
            "since": since.isoformat(), "until": until.isoformat()})
        since = until = None
    for name, value in (("programme", programme), ("university", university), ("from", since), ("to", until)):
        if value is not None:
            params[name] = value.isoformat() if isinstance(value, date) else str(value)
    unit = ""
    if measure.money:
        available = selectors.units(measure.slug)
        unit = request.GET.get("currency", "").strip().upper() or available[0]
        if unit not in available:
            errors.append(_("No amounts in “%(value)s”: choose one of %(units)s.") % {
                "value": unit[:10], "units": ", ".join(u for u in available if u)})
            unit = available[0]
        params["currency"] = unit
    return Query(filters=Filters(country=country, programme=programme, university=university), since=since,
                 until=until, unit=unit, errors=errors, params=params)


# --- names of dimension keys ----------------------------------------------------------------------------

def country_name(code: str) -> str:
    return str(countries.name(code)) if code else _("Unknown")


def names_of(keys: set[int], model) -> dict[int, str]:
    """Names for programme or university keys: one query (none if there is nothing to name)."""
    wanted = {k for k in keys if k}
    if not wanted:
        return {}
    attribute = "title" if model is Programme else "name"
    return dict(model.objects.filter(pk__in=wanted).values_list("pk", attribute))


def key_name(key: int, names: dict[int, str], *, none: str) -> str:
    if not key:
        return none
    return names.get(key) or _("#%(id)s (deleted)") % {"id": key}


# --- the public page ------------------------------------------------------------------------------------

def public(request):
    """The public impact page (no sign-in): headlines, targets with forecasts, funnel, countries."""
    viewer = exports.Viewer.of(request.user)
    shown = [m for m in measures.all_measures() if m.public]
    headlines = []
    for m in shown:
        units = selectors.units(m.slug) if m.money else [""]
        amounts = [(unit, selectors.total(m.slug, unit=unit)) for unit in units]
        headlines.append({"measure": m, "url": reverse("impact:measure", args=[m.slug]),
                          "figures": [charts.number(a.value) + (f" {unit}" if unit else "") for unit, a in amounts]})
    targets = [_target_context(p) for p in progress.all_progress()]

    registry = {m.slug: m for m in shown}
    steps: list[tuple[str, int | None, str]] = []
    for slug, label in FUNNEL:
        if slug in registry:
            amount = selectors.total(slug)
            steps.append((str(label), amount.value, charts.number(amount.value)))
    funnel = charts.funnel(steps=steps, title=_("From enrolment to placement")) if len(steps) > 1 else ""

    country_chart, country_rows = "", []
    if "talents" in registry:
        countries = selectors.breakdown("talents", by="country")
        flags = selectors.suppression([a.entities for _c, a in countries], [viewer.everything] * len(countries))
        for (code, amount), withheld in zip(countries, flags, strict=True):
            cell = figure(amount, withheld=withheld)
            cell.label, cell.key = country_name(code), code
            cell.url = reverse("impact:measure", args=["talents"]) + "?" + urlencode(
                {"country": code or UNKNOWN_COUNTRY})
            country_rows.append(cell)
        country_chart = charts.bars(rows=[(c.label, c.value, c.text) for c in country_rows],
                                    title=_("Talents cultivated by country"))

    outcomes_chart, outcomes_more = _outcomes_chart(viewer)

    computed = selectors.last_computed()
    return render(request, "impact/public.html", {
        "headlines": headlines, "targets": targets, "funnel": funnel, "country_chart": country_chart,
        "country_rows": country_rows, "outcomes_chart": outcomes_chart, "outcomes_more": outcomes_more,
        "computed_at": computed.get("oldest"), "status_rule": STATUS_RULE % {"level": FORECAST_LEVEL},
        "own_universities": list(viewer.organizations),
    })


def _scope(target) -> str:
    parts = []
    if target.country:
        parts.append(str(target.country.name))
    if target.programme_id:
        parts.append(target.programme.title)
    if target.university_id:
        parts.append(target.university.name)
    return " · ".join(parts) or _("Everywhere")


def _target_context(p: progress.Progress) -> dict:
    t, m, f = p.target, p.measure, p.forecast
    unit = f" {t.unit}" if t.unit else ""
    title = t.title or str(m.name)
    chart = charts.cumulative_chart(months=p.months, actual=p.actual, target=float(t.value), start=t.starts_on,
                                    deadline=t.deadline, forecast=f, title=title, unit_label=t.unit or str(m.noun))
    slice_params = {k: v for k, v in (("country", t.country.code if t.country else ""),
                                      ("programme", t.programme_id), ("university", t.university_id),
                                      ("currency", t.unit)) if v}
    return {
        "target": t, "measure": m, "title": title, "scope": _scope(t), "chart": chart,
        "current": charts.number(p.current) + unit, "value": charts.number(t.value) + unit,
        "share": charts.percent(p.share), "status": p.status, "status_label": p.status_label,
        "forecast": None if f is None else {"value": charts.number(f.value) + unit, "low": charts.number(f.low) + unit,
                                            "high": charts.number(f.high) + unit},
        "deadline": date_format(t.deadline, "DATE_FORMAT"),
        "url": reverse("impact:measure", args=[m.slug]) + ("?" + urlencode(slice_params) if slice_params else ""),
    }


def _outcomes_chart(viewer: exports.Viewer, *, limit: int = OUTCOME_ROWS) -> tuple[str, int]:
    """Cohort outcomes by university (share certified, share placed within six months), all cohorts
    together: the `limit` universities with the most students, and the viewer's own (and how many more
    there are)."""
    totals: dict[int, list[int]] = {}
    for row in selectors.university_outcomes():
        sums = totals.setdefault(row.university, [0, 0, 0])
        sums[0] += row.students
        sums[1] += row.certified
        sums[2] += row.placed
    ranked = sorted(((key, sums) for key, sums in totals.items() if sums[0]), key=lambda kv: (-kv[1][0], kv[0]))
    shown = ranked[:limit] + [kv for kv in ranked[limit:] if kv[0] in viewer.universities]  # and their own
    names = names_of({key for key, _sums in shown}, Organization)
    rows = []
    for key, (students, certified, placed) in shown:
        small = students < selectors.SMALL_GROUP and not viewer.unsuppressed(university=key)
        rows.append((key_name(key, names, none=_("No university")), None if small else certified / students,
                     None if small else placed / students,
                     charts.suppressed_text() if small else _("%(n)s students") % {"n": charts.number(students)}))
    if not rows:
        return "", 0
    return charts.share_bars(rows=rows, title=_("Cohort outcomes by university"),
                             legend=(_("Certified"), _("Placed within six months"))), len(ranked) - len(shown)


# --- a measure's page ------------------------------------------------------------------------------------

def _measure_or_404(slug: str) -> measures.Measure:
    measure = measures.get(slug)
    if measure is None or not measure.public:
        raise Http404(_("No such measure."))
    return measure


def measure(request, slug):
    """A measure in a slice: its total, months and breakdowns, each cell a link that narrows the slice."""
    m = _measure_or_404(slug)
    viewer = exports.Viewer.of(request.user)
    query = parse_query(request, m)
    base = reverse("impact:measure", args=[m.slug])
    context = {"measure": m, "query": query, "errors": query.errors, "base": base,
               "own_universities": [{"org": u, "url": query.link(base, university=u.pk, country=None, programme=None)}
                                    for u in viewer.organizations]}
    if query.errors:
        return render(request, "impact/measure.html", context, status=400)

    f, unit = query.filters, query.unit
    window = Window(unit=unit, filters=f, since=query.since, until=query.until)
    sliced = bool(f != Filters() or query.since or query.until)
    exact = viewer.unsuppressed(university=f.university)
    # The whole platform's total and months are the programme's published numbers: never withheld.
    amount = selectors.total(m.slug, **window)
    total = figure(amount, withheld=selectors.SMALL if amount.suppressed and not (exact or not sliced) else "",
                   unit=unit)

    months = []
    monthly = selectors.monthly(m.slug, **window)
    flags = selectors.suppression([a.entities for _m, a in monthly], [exact or not sliced] * len(monthly))
    for (month, amount), withheld in zip(monthly, flags, strict=True):
        cell = figure(amount, withheld=withheld)
        cell.label = date_format(month, "YEAR_MONTH_FORMAT")
        last = _month_last_day(month)
        cell.url = query.link(base, **{"from": max(month, query.since or month).isoformat(),
                                       "to": min(last, query.until or last).isoformat()})
        months.append(cell)

    breakdowns = []
    dims = [("country", _("By country"), _("Country")), ("programme", _("By programme"), _("Programme")),
            ("university", _("By university"), _("University"))]
    for by, title, column in dims:
        if getattr(f, by) is not None:
            continue
        rows = selectors.breakdown(m.slug, by=by, **window)
        names = names_of({k for k, _a in rows}, Programme if by == "programme" else Organization) \
            if by != "country" else {}
        cells = []
        flags = selectors.suppression([a.entities for _k, a in rows],
                                      [exact or (by == "university" and viewer.unsuppressed(university=key))
                                       for key, _a in rows])
        for (key, amount), withheld in zip(rows, flags, strict=True):
            cell = figure(amount, withheld=withheld)
            if by == "country":
                cell.label, value = country_name(key), key or UNKNOWN_COUNTRY
            elif by == "programme":
                cell.label, value = key_name(key, names, none=_("No programme")), key
            else:
                cell.label, value = key_name(key, names, none=_("No university")), key
            cell.key, cell.url = key, query.link(base, **{by: value})
            cells.append(cell)
        breakdowns.append({"by": by, "title": title, "column": column, "cells": cells})

    # Names of the filters in force, for the heading ("Singapore · National University").
    scope = []
    if f.country is not None:
        scope.append({"label": country_name(f.country), "clear": query.link(base, country=None)})
    if f.programme is not None:
        scope.append({"label": key_name(f.programme, names_of({f.programme}, Programme), none=_("No programme")),
                      "clear": query.link(base, programme=None)})
    if f.university is not None:
        scope.append({"label": key_name(f.university, names_of({f.university}, Organization),
                                        none=_("No university")),
                      "clear": query.link(base, university=None)})

    month_chart = charts.bars(rows=[(c.label, c.value, c.text) for c in months], title=_("New each month"),
                              max_rows=36)
    can_drill = permissions.can_drill(request.user, university=f.university)
    context.update({
        "total": total, "months": months, "month_chart": month_chart, "breakdowns": breakdowns, "scope": scope,
        "units": selectors.units(m.slug) if m.money else [],
        "currency_links": [(u, query.link(base, currency=u)) for u in selectors.units(m.slug)] if m.money else [],
        "rows_url": query.link(reverse("impact:rows", args=[m.slug])) if can_drill else "",
        "clear_url": base, "sliced": sliced,
    })
    return render(request, "impact/measure.html", context)


def _month_last_day(month: date) -> date:
    from .forecast import month_end

    return month_end(month)


# --- who was counted ---------------------------------------------------------------------------------------

def counted(slug: str, *, unit: str, filters: Filters, since: date | None, until: date | None):
    """The entities counted in a slice, each once with the first day it qualified there (and its amount)."""
    qs = Fact.objects.filter(measure=slug, unit=unit, **filters.lookups())
    rows = qs.values("entity").annotate(first=Min("day"), amount=Sum("amount"))
    if since is not None:
        rows = rows.filter(first__gte=since)
    if until is not None:
        rows = rows.filter(first__lte=until)
    return rows.order_by("first", "entity")


def rows(request, slug):
    """Who is behind a number: operators anywhere, a verified university's staff in their own slice."""
    m = _measure_or_404(slug)
    query = parse_query(request, m)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if query.errors:
        return render(request, "impact/rows.html", {"measure": m, "errors": query.errors,
                                                    "back": reverse("impact:measure", args=[m.slug])}, status=400)
    if not permissions.can_drill(request.user, university=query.filters.university):
        raise PermissionDenied(_("Only operators, and a university's staff in their own university, see who was "
                                 "counted."))
    paginator = Paginator(counted(m.slug, unit=query.unit, filters=query.filters, since=query.since,
                                  until=query.until), ROWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    entries = list(page.object_list)
    described = m.describe([e["entity"] for e in entries]) if m.describe else {}
    for e in entries:
        e["label"], e["url"] = described.get(e["entity"], (_("#%(id)s") % {"id": e["entity"]}, ""))
        e["amount_text"] = charts.number(e["amount"]) + (f" {query.unit}" if query.unit else "")
    return render(request, "impact/rows.html", {
        "measure": m, "query": query, "page": page, "entries": entries, "errors": [],
        "back": query.link(reverse("impact:measure", args=[m.slug])),
        "query_items": list(query.params.items()),
    })
