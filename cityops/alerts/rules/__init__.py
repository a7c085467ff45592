"""Alarm rules evaluated inside the ingest, on every committed batch of readings.

The ingest calls ``evaluator.readings_stored`` and ``evaluator.sensors_seen`` (registered in
``AlertsConfig.ready`` on ``cityops.monitoring.hooks``) in the worker that stored the batch, at
tens of thousands of readings a second, so the evaluator:

- keeps the active rules compiled in memory, indexed by (sensor, metric), reloaded every
  ``REFRESH_SECONDS`` or within ``VERSION_CHECK_SECONDS`` of a change (``rules_changed`` puts a
  new version in the shared cache; this process also forgets its copy at once);
- keeps per (rule, sensor) the run of readings for which the condition holds (``Streak``), and
  per air-quality station the hourly sums of the last 12 hours for the NowCast;
- touches the database only to load rules, to learn a sensor it has not seen, to load a
  station's recent hours once, and when an alarm is raised or cleared.

Threshold and AQI rules raise once the condition has held for every reading during
``minutes`` (0: at the first one) and clear at the first reading where it does not. Readings
older than the newest one evaluated for that rule and sensor are history and ignored. An alarm
an operator clears while the condition still holds is raised again after the duration. The
offline rule is the periodic job ``alarms_offline_check``; a sensor heard from again clears its
offline alarm at once.
"""

from cityops.alerts.rules.engine import Evaluator, evaluator, rules_changed
from cityops.alerts.rules.offline import alarms_offline_check

__all__ = ["Evaluator", "alarms_offline_check", "evaluator", "rules_changed"]
