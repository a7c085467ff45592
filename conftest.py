"""Fixtures every test module can use: the roles of CityOps and an API client."""

import gc
import os
import shutil

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.tests.factories import AgencyFactory
from cityops.intel import classifier, store
from cityops.intel.corpus import counts_by_category
from cityops.intel.training import fit, training_examples
from cityops.platform.kept import forget_all

# What gives a test the suite's database (pytest-django refuses it to any other test).
DATABASE_FIXTURES = {"_django_db_helper", "db", "transactional_db", "live_server"}


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL pass leaves the tests marked ``no_database`` to the SQLite pass: they run
    the same code whatever the database (face detection, model training, subprocesses on a
    SQLite file of their own), and would cost the pass about two minutes again."""
    once = [item for item in items if item.get_closest_marker("no_database")]
    touching = [
        item.nodeid
        for item in once
        if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames)
    ]
    if touching:
        raise pytest.UsageError(f"marked no_database but use the database: {touching}")
    if once and os.environ.get("DATABASE_URL"):
        config.hook.pytest_deselected(items=once)
        items[:] = [item for item in items if not item.get_closest_marker("no_database")]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, closing first every connection still open. A browser test's ORM calls
    run beside Playwright's event loop, and one of their connections stayed open in a handler
    Django's teardown no longer reached: PostgreSQL then would not drop the test database
    ("being accessed by other users"). On PostgreSQL a closed connection goes back to the pool,
    which Django closes before dropping the database."""
    yield
    with django_db_blocker.unblock():
        for wrapper in [item for item in gc.get_objects() if isinstance(item, BaseDatabaseWrapper)]:
            if wrapper.connection is not None:
                wrapper.inc_thread_sharing()  # it may be another thread's
                wrapper.close()


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():
    # A test's rolled-back configuration must not serve the next one (a rollback sends no signal).
    forget_all()


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Sở Xây dựng", code="so-xay-dung")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name="Công ty Điện lực", code="dien-luc", kind="utility")


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen", role=Role.CITIZEN)


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", role=Role.OPERATOR)


@pytest.fixture
def agency_staff(db, agency):
    return UserFactory(username="staff", role=Role.AGENCY_STAFF, agency=agency)


@pytest.fixture
def other_agency_staff(db, other_agency):
    return UserFactory(username="other-staff", role=Role.AGENCY_STAFF, agency=other_agency)


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", role=Role.LEADER)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def api_client():
    return Client(HTTP_ACCEPT="application/json")


# The classifier: a model trained once per test process from the corpus, stored afresh in each
# test's data directory.


@pytest.fixture(scope="session")
def corpus_bundle() -> store.ModelBundle:
    """The model a fresh installation trains: short corpus and training letters, no database."""
    examples, sources = training_examples(include_database=False)
    return store.ModelBundle(
        version="20260101T000000000000Z-corpus",
        trained_at="2026-01-01T00:00:00+00:00",
        pipeline=fit(examples),
        counts=counts_by_category(examples),
        sources=sources,
    )


@pytest.fixture
def data_dir(settings, tmp_path):
    """An empty data directory: no model stored, nothing cached."""
    settings.DATA_DIR = tmp_path
    classifier._loaded = None
    yield tmp_path
    classifier._loaded = None


@pytest.fixture(scope="session")
def corpus_models_dir(corpus_bundle, tmp_path_factory):
    """The corpus model stored once per test process (compressing it took half a second, three
    under the suite's load, and some hundred tests want it)."""
    stored = tmp_path_factory.mktemp("corpus-model")
    with override_settings(DATA_DIR=stored):
        store.bundle_save(bundle=corpus_bundle)
        return store.models_dir()


@pytest.fixture
def trained(data_dir, corpus_bundle, corpus_models_dir) -> store.ModelBundle:
    """The corpus model, stored as the current version (a copy of the stored files: each test
    still loads it from its own data directory)."""
    shutil.copytree(corpus_models_dir, store.models_dir())
    return corpus_bundle
