"""Demo sector indicators, for ``make run``: five of the figures Huế's IOC leaders follow
(e-health records, smart schools, GRDP growth, online public services, PM2.5), a few years of
history ending at the last complete period, and the e-health figures of four wards. The figures
go in as one CSV upload through the real import, so each is traceable like a real one. Seeding
again adds nothing once an indicator exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from cityops.agencies.models import Agency, Area
from cityops.demo.hue.catalogue import IOC
from cityops.indicators.choices import Direction, Frequency, Source
from cityops.indicators.models import Indicator
from cityops.indicators.periods import period_add, period_label, period_start
from cityops.indicators.services import upload_import
from cityops.platform import clock


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    name_en: str
    sector: str
    unit: str
    direction: Direction
    frequency: Frequency
    department: str
    baseline: float
    target: float
    years_ahead: int  # the target year, after the last complete period's year
    figures: tuple[float, ...]  # oldest first, the last one for the last complete period
    skip_last: int = 0  # periods missing at the end (a late department: "stale")


DEMO = (
    DemoIndicator(
        "ho-so-suc-khoe-dien-tu",
        "Tỷ lệ dân số có hồ sơ sức khỏe điện tử",
        "Residents with an electronic health record",
        "health", "%", Direction.UP, Frequency.YEARLY, "so-y-te",
        20.0, 95.0, 1, (41.5, 68.2, 85.7, 93.41),
    ),
    DemoIndicator(
        "truong-hoc-thong-minh",
        "Số trường học thông minh",
        "Smart schools",
        "education", "trường", Direction.UP, Frequency.QUARTERLY, IOC,
        0.0, 120.0, 1, (6, 14, 21, 30, 37, 45, 52, 58),
    ),
    DemoIndicator(
        "tang-truong-grdp",
        "Tốc độ tăng trưởng GRDP",
        "GRDP growth",
        "economy", "%", Direction.UP, Frequency.YEARLY, IOC,
        6.0, 10.0, 2, (6.5, 8.0, 7.2, 8.8), skip_last=1,
    ),
    DemoIndicator(
        "ho-so-truc-tuyen",
        "Tỷ lệ hồ sơ dịch vụ công trực tuyến toàn trình",
        "Share of public-service dossiers handled wholly online",
        "digital", "%", Direction.UP, Frequency.QUARTERLY, "so-noi-vu",
        35.0, 80.0, 1, (38, 39, 39, 40, 40, 41),
    ),
    DemoIndicator(
        "bui-pm25",
        "Nồng độ bụi PM2.5 trung bình",
        "Average PM2.5 concentration",
        "environment", "µg/m³", Direction.DOWN, Frequency.MONTHLY, "so-nong-nghiep-moi-truong",
        28.0, 20.0, 1, (27.1, 26.4, 27.8, 25.9, 25.2, 24.8, 26.0, 24.1, 23.7, 23.9, 23.2, 22.8),
    ),
)  # fmt: skip
# The e-health figure of four wards over the last two years (the rest of the province: none).
WARD_FIGURES = ((88.2, 96.2), (84.0, 93.41), (80.5, 90.1), (71.3, 79.8))


def _last_complete(frequency: Frequency, today: date) -> date:
    return period_add(period_start(today, frequency), frequency, -1)


def indicators_seed_demo() -> dict[str, int]:
    if Indicator.objects.exists():
        return {"indicators": 0, "indicator_figures": 0}
    ioc = Agency.objects.filter(code=IOC).first() or Agency.objects.order_by("pk").first()
    if ioc is None:
        return {"indicators": 0, "indicator_figures": 0}
    today = timezone.localdate(clock.now())
    lines = ["indicator;period;area;value"]
    for spec in DEMO:
        last = _last_complete(spec.frequency, today)
        count = len(spec.figures)
        first = period_add(last, spec.frequency, -(count - 1))
        Indicator.objects.create(
            code=spec.code,
            name=spec.name,
            name_en=spec.name_en,
            sector=spec.sector,
            unit=spec.unit,
            direction=spec.direction,
            frequency=spec.frequency,
            baseline_value=spec.baseline,
            baseline_period=period_add(first, spec.frequency, -1),
            target_value=spec.target,
            target_year=last.year + spec.years_ahead,
            department=Agency.objects.filter(code=spec.department).first() or ioc,
        )
        for index, value in enumerate(spec.figures[: count - spec.skip_last]):
            period = period_label(period_add(first, spec.frequency, index), spec.frequency)
            lines.append(f"{spec.code};{period};;{str(value).replace('.', ',')}")
    wards = list(Area.objects.order_by("code")[: len(WARD_FIGURES)])
    last_year = _last_complete(Frequency.YEARLY, today).year
    for area, figures in zip(wards, WARD_FIGURES, strict=False):
        for year, value in zip((last_year - 1, last_year), figures, strict=True):
            lines.append(
                f"ho-so-suc-khoe-dien-tu;{year};{area.code};{str(value).replace('.', ',')}"
            )
    upload = upload_import(
        source=Source.CSV,
        content=("\n".join(lines) + "\n").encode("utf-8"),
        actor=None,
        file_name="demo-chi-tieu-hue.csv",
    )
    return {"indicators": len(DEMO), "indicator_figures": upload.rows_accepted}
