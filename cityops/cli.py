"""The ``cityops`` command: Django's management commands under the project's own name.

``cityops run``, ``cityops seed``, ``cityops apikey create --name N`` and every Django command
(``cityops migrate``, ``cityops createsuperuser`` …) go through here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityops.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cityops", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
