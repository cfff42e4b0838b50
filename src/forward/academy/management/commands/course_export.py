"""forward manage course_export SLUG OUT — write a course as Markdown + YAML (OUT.zip or a folder)."""

from django.core.management.base import BaseCommand, CommandError

from forward.academy import bundle
from forward.academy.models import Course


class Command(BaseCommand):
    help = "Export a course to a folder or a .zip of Markdown + YAML files."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("out", help="a folder, or a path ending in .zip")

    def handle(self, *args, slug, out, **options):
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(f"No course has the slug {slug!r}.")
        if out.endswith(".zip"):
            with open(out, "wb") as handle:
                handle.write(bundle.export_zip(course=course))
        else:
            bundle.export_dir(course=course, path=out)
        self.stdout.write(f"Exported {course.title} to {out}")
