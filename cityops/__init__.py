"""CityOps: an open-source Intelligent Operations Center for Vietnamese cities."""
