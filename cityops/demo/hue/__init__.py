"""The Huế city configuration CityOps ships with (seeded on first start, safe to re-run)."""

from cityops.demo.hue.seed import seed_configuration

__all__ = ["seed_configuration"]
