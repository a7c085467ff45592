"""Settings for the test suite: the real settings, with jobs inline and data in a temp dir."""

import os
import tempfile

# Before the real settings read the environment.
os.environ.setdefault("CITYOPS_DATA_DIR", tempfile.mkdtemp(prefix="cityops-test-"))
os.environ["CITYOPS_JOBS_IMMEDIATE"] = "1"

from cityops.settings import *  # noqa: F403

# The real hasher costs about a second per user created; tests do not need its strength.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
