"""Seeding on first start: what ``cityops run`` calls before it serves."""

from __future__ import annotations

from cityops.agencies.models import Area
from cityops.alerts.services.demo import alerts_seed_demo
from cityops.demo.demo_data import demo_data_exists, seed_demo
from cityops.demo.hue import seed_configuration
from cityops.demo.indicators import indicators_seed_demo
from cityops.demo.online import online_seed_demo
from cityops.demo.planning import planning_seed_demo
from cityops.demo.service_ratings import services_seed_demo
from cityops.demo.violations import violations_seed_demo
from cityops.monitoring.models import Sensor
from cityops.monitoring.services import sensors_seed_demo
from cityops.tourism.models import FaqEntry
from cityops.tourism.services import faq_load_file
from cityops.transit.services.demo import transit_seed_demo


def seed_if_first_start(*, demo: bool, progress: bool = True) -> bool:
    """Seed Huế's configuration on an empty database, and demo data once if ``demo``.

    Returns whether anything was seeded. A city that already has areas keeps its configuration
    untouched; ``cityops seed`` refreshes it on request.
    """
    seeded = False
    if not Area.objects.exists():
        seed_configuration()
        seeded = True
    if not FaqEntry.objects.exists():
        faq_load_file()  # the tourist FAQ of Huế, six languages; staff edit it from then on
        seeded = True
    if demo and not demo_data_exists():
        seed_demo(progress=progress)
        seeded = True
    if demo and not Sensor.objects.filter(is_simulated=True).exists():
        sensors_seed_demo()  # the simulated monitoring stations and a day of their readings
        seeded = True
    if demo and any(alerts_seed_demo().values()):  # demo alarm rules, a bulletin, two alarms
        seeded = True
    if demo and transit_seed_demo():  # Huế's demo bus routes, unless a schedule is imported
        seeded = True
    if demo and violations_seed_demo()["violation_cases"]:  # officers and camera cases
        seeded = True
    if demo and services_seed_demo()["service_offices"]:  # one-stop-shop desks and ratings
        seeded = True
    if demo and indicators_seed_demo()["indicators"]:  # sector indicators and their figures
        seeded = True
    if demo and planning_seed_demo()["planning_layers"]:  # a zoning layer of the citadel
        seeded = True
    if demo and online_seed_demo()["online_services"]:  # Huế's online public services
        seeded = True
    return seeded
