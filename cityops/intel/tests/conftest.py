"""The classifier fixtures (``corpus_bundle``, ``data_dir``, ``trained``) live in the root
conftest.py: the API and portal tests use them too."""
