"""Importing planning layers from GeoJSON, Shapefile and GeoPackage files (docs/planning.md)."""

from cityops.planning.importing.run import layer_import_run

__all__ = ["layer_import_run"]
