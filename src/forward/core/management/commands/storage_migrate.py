"""forward manage storage_migrate --to URL [--from URL] [--dry-run] — copy every stored file elsewhere."""

from __future__ import annotations

import time
from typing import Any

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forward.core.storage_migrate import (
    MigrationRefused,
    Progress,
    Report,
    human_size,
    storage_label,
    storage_migrate,
    storage_migrate_check,
)
from forward.env import ConfigError
from forward.storage_url import VARIABLE, storage_from_url

PROGRESS_FILES = 500
PROGRESS_SECONDS = 10.0


class Command(BaseCommand):
    help = ("Copy every stored file to another storage under the same names, verifying sizes and SHA-256 "
            "checksums. Re-running skips what is already there, so an interrupted run resumes.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", dest="target", required=True, metavar="URL",
                            help="where to copy: s3://BUCKET[/PREFIX]?endpoint=…&region=… or file:///PATH "
                            "(credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)")
        parser.add_argument("--from", dest="source", metavar="URL",
                            help=f"where to copy from (default: the configured storage, {VARIABLE})")
        parser.add_argument("--dry-run", action="store_true",
                            help="list what would be copied, and copy nothing")

    def handle(self, *args: Any, target: str, source: str | None = None, dry_run: bool = False,
               **options: Any) -> None:
        try:
            target_storage = storage_from_url(target, variable="--to")
            source_storage = storages["default"] if source is None else storage_from_url(source, variable="--from")
        except ConfigError as exc:
            raise CommandError(str(exc), returncode=2) from None
        try:
            storage_migrate_check(source_storage, target_storage, dry_run=dry_run)
        except MigrationRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
        source_label, target_label = storage_label(source_storage), storage_label(target_storage)
        if dry_run:
            self.stdout.write(_("Dry run: comparing %(source)s with %(target)s; nothing is copied.")
                              % {"source": source_label, "target": target_label})
        else:
            self.stdout.write(_("Copying the files of %(source)s to %(target)s.")
                              % {"source": source_label, "target": target_label})
        try:
            report = storage_migrate(source_storage, target_storage, dry_run=dry_run,
                                     progress=self._progress(dry_run))
        except MigrationRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
        self._summary(report, target)

    def _progress(self, dry_run: bool) -> Progress:
        """A line every PROGRESS_FILES files or PROGRESS_SECONDS seconds (and, in a dry run, each file
        that would be copied), so a long run shows it is alive."""
        state = {"at": time.monotonic(), "bytes": 0}

        def progress(report: Report, name: str, outcome: str) -> None:
            if dry_run and outcome == "copied":
                size = report.bytes_copied - state["bytes"]
                self.stdout.write(_("Would copy %(name)s (%(size)s)") % {"name": name, "size": human_size(size)})
            state["bytes"] = report.bytes_copied
            if outcome == "failed":
                self.stderr.write(_("Failed: %(name)s: %(reason)s") % {"name": name, "reason": report.failed[-1].reason})
            now = time.monotonic()
            if report.checked % PROGRESS_FILES == 0 or now - state["at"] >= PROGRESS_SECONDS:
                state["at"] = now
                self.stdout.write(_("%(checked)d files checked: %(copied)d copied (%(bytes)s), %(skipped)d already "
                                    "there, %(failed)d failed, %(seconds).0f s so far.") % {
                    "checked": report.checked, "copied": len(report.copied), "bytes": human_size(report.bytes_copied),
                    "skipped": len(report.skipped), "failed": len(report.failed), "seconds": report.seconds})

        return progress

    def _summary(self, report: Report, target: str) -> None:
        copied, failed = len(report.copied), len(report.failed)
        counts = {"copied": copied, "bytes": human_size(report.bytes_copied),
                  "skipped": len(report.skipped), "failed": failed, "seconds": report.seconds}
        if report.dry_run:
            self.stdout.write(ngettext(
                "Dry run: %(copied)d file (%(bytes)s) would be copied; %(skipped)d already there; %(failed)d failed.",
                "Dry run: %(copied)d files (%(bytes)s) would be copied; %(skipped)d already there; %(failed)d failed.",
                copied) % counts)
        else:
            self.stdout.write(ngettext(
                "Copied %(copied)d file (%(bytes)s); %(skipped)d already there; %(failed)d failed; %(seconds).1f s.",
                "Copied %(copied)d files (%(bytes)s); %(skipped)d already there; %(failed)d failed; %(seconds).1f s.",
                copied) % counts)
        if report.failed:
            for failure in report.failed:
                self.stderr.write(_("Failed: %(name)s: %(reason)s") % {"name": failure.name, "reason": failure.reason})
            raise CommandError(ngettext(
                "%(failed)d file was not copied. Fix the cause and run the same command again: "
                "it copies only what is missing or different.",
                "%(failed)d files were not copied. Fix the cause and run the same command again: "
                "it copies only what is missing or different.", failed) % counts, returncode=1)
        if report.dry_run:
            return
        if target.strip():
            self.stdout.write(_("Next: set %(variable)s=%(url)s on every web server and worker, and restart them. "
                                "Files stored after this run started are not copied yet: run this command again "
                                "just before the switch, it copies only what is new.")
                              % {"variable": VARIABLE, "url": target.strip()})
        else:
            self.stdout.write(_("Next: unset %(variable)s on every web server and worker, and restart them. "
                                "Files stored after this run started are not copied yet: run this command again "
                                "just before the switch, it copies only what is new.") % {"variable": VARIABLE})
