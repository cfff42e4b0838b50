"""Grading words stored as data (policy JSON) are shown in the reader's language."""

from django.utils import translation

from forward.academy.labels import assessment_type_label, designation_label


def test_assessment_types_and_designations_are_translated_and_unknown_names_kept():
    with translation.override("zh-hans"):
        assert assessment_type_label("quiz") == "测验"
        assert assessment_type_label("exam") == "考试"
        assert assessment_type_label("project") == "project"  # a policy's own type, as written
    with translation.override("en"):
        assert designation_label("distinction") == "Distinction"
        assert designation_label("Merit") == "Merit"
        assert designation_label("summa") == "summa"
        assert designation_label("") == ""
