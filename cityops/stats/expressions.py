"""Database expressions for working time, used by ``kpis`` (see its docstring)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import ExpressionWrapper, F, FloatField, Func, Value
from django.db.models.functions import Greatest, Least, TruncDate

from cityops.reports.deadlines import working_calendar
from cityops.stats.working_time import WorkingClock


def local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=working_calendar().tz)


class LocalSecondOfDay(Func):
    """Seconds since local midnight of a datetime column, in the city's time zone."""

    output_field = FloatField()

    def __init__(self, expression: Any, *, tzname: str) -> None:
        super().__init__(expression)
        self.tzname = tzname

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        parts, values = [], []
        for unit, factor in (("hour", 3600), ("minute", 60), ("second", 1)):
            part, part_params = connection.ops.datetime_extract_sql(
                unit, sql, tuple(params), self.tzname
            )
            parts.append(f"({part}) * {factor}")
            values.extend(part_params)
        return f"({' + '.join(parts)})", tuple(values)

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        # One time-zone conversion instead of three: the time of day as seconds.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"EXTRACT(EPOCH FROM ({sql} AT TIME ZONE %s)::time)", (*params, self.tzname)


def worked_in_day(field: str, clock: WorkingClock) -> Any:
    """Working seconds of ``field``'s local day up to its time of day (a working day assumed)."""
    second = LocalSecondOfDay(F(field), tzname=str(working_calendar().tz))
    terms = [
        Least(Greatest(second - Value(start), Value(0.0)), Value(float(end - start)))
        for start, end in clock.blocks
    ]
    total: Any = terms[0]
    for term in terms[1:]:
        total = total + term
    return ExpressionWrapper(total, output_field=FloatField())


def day_readings(clock: WorkingClock, day: Any, count: int, within_day: Any) -> float:
    """The sum of W(t) over ``count`` moments of one local ``day`` (see ``kpi_table``)."""
    if not count:
        return 0.0
    if isinstance(day, datetime):
        day = day.date()
    before, working = clock.day(day)
    return count * before + (float(within_day or 0) if working else 0.0)
