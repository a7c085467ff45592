"""A model trained once per test process from the corpus, stored afresh in each test's data dir."""

from __future__ import annotations

import pytest

from cityops.intel import classifier, store
from cityops.intel.corpus import corpus_examples, counts_by_category
from cityops.intel.training import fit


@pytest.fixture(scope="session")
def corpus_bundle() -> store.ModelBundle:
    examples = corpus_examples()
    return store.ModelBundle(
        version="20260101T000000000000Z-corpus",
        trained_at="2026-01-01T00:00:00+00:00",
        pipeline=fit(examples),
        counts=counts_by_category(examples),
        sources={"corpus": len(examples)},
    )


@pytest.fixture
def data_dir(settings, tmp_path):
    """An empty data directory: no model stored, nothing cached."""
    settings.DATA_DIR = tmp_path
    classifier._loaded = None
    yield tmp_path
    classifier._loaded = None


@pytest.fixture
def trained(data_dir, corpus_bundle) -> store.ModelBundle:
    """The corpus model, stored as the current version."""
    store.bundle_save(bundle=corpus_bundle)
    return corpus_bundle
