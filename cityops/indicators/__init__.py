"""Sector indicators: the registry, uploaded figures, progress against targets."""
