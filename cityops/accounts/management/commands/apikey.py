"""``cityops apikey create --name N`` (prints the key last), ``list`` and ``revoke PREFIX``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityops.accounts.models import ApiKey
from cityops.accounts.services import apikey_create, apikey_revoke
from cityops.platform.errors import InvalidInput


class Command(BaseCommand):
    help = "Manage API keys for client systems (mobile app, Open311 clients)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a key; it is printed once.")
        create.add_argument("--name", required=True)
        actions.add_parser("list", help="List keys (never the secrets).")
        revoke = actions.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            try:
                issued = apikey_create(name=options["name"])
            except InvalidInput as error:
                raise CommandError(error.message) from error
            self.stdout.write(
                f"API key for {issued.api_key.name} (store it now, it is not "
                f"shown again): {issued.secret}"
            )
        elif action == "list":
            for key in ApiKey.objects.order_by("created_at"):
                state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                self.stdout.write(f"{key.prefix}  {key.name}  {state}")
        else:
            found = ApiKey.objects.filter(prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(f"No API key with prefix {options['prefix']!r}.")
            apikey_revoke(api_key=found)
            self.stdout.write(f"Revoked {found}.")
