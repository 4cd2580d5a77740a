"""`xiaoneng archive --campaign ID [--user NAME] [--out FILE]`: build a campaign's archive as
a job (the same job as the button), as the given user (default: the first active superuser)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core.errors import ApplicationError
from xiaoneng.core.models import Job, User
from xiaoneng.documents import archive


class Command(BaseCommand):
    help = "Build one campaign's archive (.zip with index and SHA-256 manifest) as a job."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True)
        parser.add_argument("--user", default="", help="build as this user (their data scope)")
        parser.add_argument("--out", default="", help="also copy the .zip to this path")

    def handle(self, *args, campaign: int, user: str, out: str, **options):
        actor = (
            User.objects.filter(username=user, is_active=True).first()
            if user
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("no such active user")
        target = Campaign.objects.filter(pk=campaign).first()
        if target is None:
            raise CommandError(f"campaign {campaign} not found")
        try:
            job = archive.archive_start(actor=actor, campaign=target)
        except (ApplicationError, Http404) as exc:
            raise CommandError(str(exc) or "not found") from exc
        job = Job.objects.get(pk=job.pk)
        if job.status == Job.Status.QUEUED:  # no immediate worker: build it here
            archive.run_job(job.pk)
            job.refresh_from_db()
        if job.status != Job.Status.DONE:
            raise CommandError(f"archive job {job.pk} {job.status}: {job.errors}")
        stored = job.output_file
        if out:
            with stored.file.open("rb") as fh:
                Path(out).write_bytes(fh.read())
        self.stdout.write(
            f"job {job.pk}: {job.result['files']} files, {stored.size} bytes, "
            f"sha256 {stored.sha256}" + (f" → {out}" if out else "")
        )
