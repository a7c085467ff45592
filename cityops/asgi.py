import os

import django
from django.urls import get_resolver

from cityops.platform.asgi import SyncChainASGIHandler
from cityops.platform.memory import startup_objects_freeze
from cityops.platform.readcache import ReadCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityops.settings")
django.setup(set_prefix=False)  # as django.core.asgi.get_asgi_application does
# Anonymous public reads kept and answered before Django's middleware (docs/performance.md).
application = ReadCache(SyncChainASGIHandler())
get_resolver().url_patterns  # noqa: B018 - every view imported now, not on a first request
startup_objects_freeze()  # last: what the process holds from here on is long-lived
