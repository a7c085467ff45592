import os

import django

from cityops.platform.asgi import SyncChainASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityops.settings")
django.setup(set_prefix=False)  # as django.core.asgi.get_asgi_application does
application = SyncChainASGIHandler()
