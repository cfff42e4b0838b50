"""Cohort outcomes by university: of the students whose first enrolment there fell in a year, how
many hold a certification, and how many accepted an offer within six months of their first completion."""

from __future__ import annotations

import pytest

from forward.credentials.models import Credential, CredentialKind
from forward.impact import outcomes, rollup, selectors
from forward.impact.models import UniversityOutcome
from tests.impact.worlds import World, at

pytestmark = pytest.mark.django_db


def test_cohorts_by_year_of_first_enrolment_with_shares_certified_and_placed():
    w = World()
    sg, cn, _ = w.universities
    old_run = w.run(w.courses[2], sg, starts=at(2024, 9, 1), released=at(2024, 12, 1))
    run = w.run(w.courses[1], sg, starts=at(2025, 2, 1), released=at(2025, 6, 1))
    veteran = w.person("SG")
    w.enrol(veteran, old_run, at(2024, 8, 20))
    w.enrol(veteran, run, at(2025, 1, 20))  # still the 2024 cohort at this university
    students = [w.person("SG") for _ in range(6)]
    for student in students:
        w.enrol(student, run, at(2025, 1, 10))
    placed, late, no_course, certified, revoked = students[:5]
    for student in (placed, late):
        w.complete(student, run)  # first completion: 1 June 2025
    w.apply(placed, at(2025, 7, 1), accepted=at(2025, 11, 30), opening=w.opening)  # 182 days after
    w.apply(late, at(2025, 7, 1), accepted=at(2026, 1, 15), opening=w.opening)  # more than six months
    w.apply(no_course, at(2025, 7, 1), accepted=at(2025, 8, 1), opening=w.opening)  # never completed a course
    w.hold(certified, w.certifications[1], at(2025, 5, 1))
    w.hold(revoked, w.certifications[1], at(2025, 5, 1))
    w.revoke(Credential.objects.get(recipient=revoked, kind=CredentialKind.CERTIFICATION))
    w.enrol(students[5], w.run(w.courses[0], cn, starts=at(2026, 2, 1)), at(2026, 1, 5))  # also a CN student
    rollup.refresh()

    rows = {(o.university, o.year): o for o in selectors.university_outcomes()}
    assert set(rows) == {(sg.pk, 2024), (sg.pk, 2025), (cn.pk, 2026)}
    cohort = rows[(sg.pk, 2025)]
    assert (cohort.students, cohort.certified, cohort.placed) == (6, 1, 1)
    assert cohort.share_certified == pytest.approx(1 / 6) and cohort.share_placed == pytest.approx(1 / 6)
    assert rows[(sg.pk, 2024)].students == 1 and rows[(sg.pk, 2024)].suppressed  # fewer than 5: no shares
    assert rows[(sg.pk, 2024)].share_placed is None
    assert [o.year for o in selectors.university_outcomes(universities=[cn.pk])] == [2026]
    assert outcomes.refresh_outcomes() == 0  # nothing changed

    w.hold(late, w.certifications[0], at(2025, 8, 1))  # arrives later: the next run counts it
    rollup.refresh()
    assert UniversityOutcome.objects.get(university=sg.pk, year=2025).certified == 2
