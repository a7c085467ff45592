import os

import django

from cityops.platform.asgi import SyncChainASGIHandler
from cityops.platform.readcache import ReadCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityops.settings")
django.setup(set_prefix=False)  # as django.core.asgi.get_asgi_application does
# Anonymous public reads kept and answered before Django's middleware (docs/performance.md).
application = ReadCache(SyncChainASGIHandler())
