"""Skills typed into the course form join the shared list only through the course service: after its
permission check and inside its transaction. The form writes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forward.academy import authoring, permissions
from forward.academy.forms import CourseForm
from forward.core.models import Membership, Skill
from tests.academy.test_authoring import course, studio  # noqa: F401 - the studio world and its draft course
from tests.conftest import client_for

FIELDS = {"title": "Quantum for Engineers", "slug": "", "summary": "", "level": "intermediate", "language": "en",
          "estimated_hours": 12, "credit_units": "1", "new_skills": "Quantum computing, Qubits",
          "grading_policy": ""}


def test_the_form_returns_the_new_skills_without_creating_them(studio):  # noqa: F811
    form = CourseForm({**FIELDS, "owner": studio.cloud.pk}, owners=permissions.course_owners(studio.engineer))
    assert form.is_valid(), form.errors
    fields = form.service_fields()
    assert fields["new_skills"] == [("quantum-computing", "Quantum computing"), ("qubits", "Qubits")]
    assert not Skill.objects.filter(slug__in=["quantum-computing", "qubits"]).exists()


def test_someone_refused_the_course_adds_no_skill(studio, course):  # noqa: F811
    # The engineer fills in the form, then loses their staff role before it is saved.
    form = CourseForm({**FIELDS, "owner": studio.cloud.pk}, owners=permissions.course_owners(studio.engineer))
    assert form.is_valid(), form.errors
    Membership.objects.filter(user=studio.engineer, organization=studio.cloud).delete()
    with pytest.raises(PermissionDenied):
        authoring.course_create(actor=studio.engineer, owner=form.cleaned_data["owner"], **form.service_fields())
    # A colleague outside the course's team edits it: refused, through the service and the page.
    edit = CourseForm({**FIELDS, "title": course.title}, course=course)
    assert edit.is_valid(), edit.errors
    with pytest.raises(PermissionDenied):
        authoring.course_update(actor=studio.colleague, course=course, **edit.service_fields())
    response = client_for(studio.colleague).post(reverse("academy:studio_edit", args=[course.slug]),
                                                 {**FIELDS, "title": course.title})
    assert response.status_code == 404
    assert not Skill.objects.filter(slug__in=["quantum-computing", "qubits"]).exists()
    # The course's team may: the skills join the shared list and the course.
    client_for(studio.owner_admin).post(reverse("academy:studio_edit", args=[course.slug]),
                                        {**FIELDS, "title": course.title})
    assert sorted(course.skills.values_list("slug", flat=True)) == ["quantum-computing", "qubits"]


def test_a_failure_after_the_skills_are_added_takes_them_back(studio, course):  # noqa: F811
    with pytest.raises(ValidationError, match="cannot be its own prerequisite"):
        authoring.course_update(actor=studio.engineer, course=course, title="Renamed", skills=[],
                                new_skills=[("qubits", "Qubits")], prerequisites=[course])
    assert not Skill.objects.filter(slug="qubits").exists()
    course.refresh_from_db()
    assert course.title == "Draft course" and not course.skills.exists()
