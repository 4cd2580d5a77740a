"""`xiaoneng open311-key create --name NAME --channel CHANNEL` (prints the key), `list`, `revoke`."""

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.complaints.vocab import Channel
from xiaoneng.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Issue, list and revoke Open311 GeoReport v2 API keys for integrators."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a key and print it (shown only once)")
        create.add_argument("--name", required=True, help="who the key is for")
        create.add_argument(
            "--channel",
            required=True,
            help="intake channel of the cases it submits: " + ", ".join(Channel.values),
        )
        sub.add_parser("list", help="list the keys (never the secrets)")
        revoke = sub.add_parser("revoke", help="revoke a key by id or by prefix")
        revoke.add_argument("key", help="the key's id or the first characters shown by list")

    def handle(self, *args, action: str, **options):
        from xiaoneng.open311 import services
        from xiaoneng.open311.models import Open311Key

        if action == "create":
            try:
                key, raw = services.key_create(
                    actor=None, name=options["name"], channel=options["channel"]
                )
            except ApplicationError as exc:
                problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())
                raise CommandError(problems or exc.detail) from exc
            self.stderr.write(f"key {key.pk} for {key.name} ({key.channel}); shown only once:")
            self.stdout.write(raw)
        elif action == "list":
            for key in Open311Key.objects.order_by("id"):
                state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                self.stdout.write(f"{key.pk}\t{key.prefix}…\t{key.channel}\t{state}\t{key.name}")
        elif action == "revoke":
            ref = options["key"].strip()
            if ref.startswith(services.KEY_PREFIX):
                ref = ref[len(services.KEY_PREFIX) :]
            matches = list(
                Open311Key.objects.filter(pk=int(ref))
                if ref.isdigit()
                else Open311Key.objects.filter(prefix__startswith=ref[:8])
            )
            if len(matches) != 1:
                raise CommandError(f"no single key matches {options['key']!r}")
            services.key_revoke(actor=None, key=matches[0])
            self.stdout.write(f"revoked key {matches[0].pk} ({matches[0].name})")
