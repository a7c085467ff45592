"""Demo service ratings, for ``make run``: three one-stop-shop offices (the Department of Home
Affairs and two ward committees), their desks, officers and procedures, and a few weeks of
dossiers and ratings through the real services. So the ranking and the figures have something
to show. No demo rating is dissatisfied: that would open a case in the reports queue. Seeding
again adds nothing once an office exists."""

from __future__ import annotations

import random
from datetime import timedelta

from cityops.agencies.models import Agency
from cityops.demo.hue.catalogue import HOME_AFFAIRS
from cityops.platform import clock
from cityops.services.choices import Level, Via
from cityops.services.models import Desk, Office, Officer, Procedure
from cityops.services.services import Answers, dossier_issue, rating_submit

PROCEDURES = (
    ("1.001612", "Chứng thực bản sao từ bản chính"),
    ("1.004884", "Đăng ký khai sinh"),
    ("1.000656", "Đăng ký kết hôn"),
)
OFFICERS = ("Trần Thị Mai (mẫu)", "Lê Văn Hùng (mẫu)", "Phạm Thị Thu (mẫu)", "Hồ Đăng Khoa (mẫu)")
# No "Không hài lòng": each would open a real (not demo-marked) case in the reports queue.
LEVELS = (Level.VERY_SATISFIED,) * 5 + (Level.SATISFIED,) * 4


def services_seed_demo(*, seed: int = 2025) -> dict[str, int]:
    if Office.objects.exists():
        return {"service_offices": 0, "service_ratings": 0}
    agencies = [a for a in Agency.objects.filter(code=HOME_AFFAIRS, is_active=True)]
    agencies += list(Agency.objects.filter(code__startswith="ubnd-", is_active=True)[:2])
    if not agencies:
        return {"service_offices": 0, "service_ratings": 0}
    rng = random.Random(seed)
    procedures = [
        Procedure.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in PROCEDURES
    ]
    ratings = 0
    for number, agency in enumerate(agencies, start=1):
        office = Office.objects.create(
            code=f"mot-cua-{agency.code}",
            name=f"Bộ phận một cửa — {agency.name}",
            agency=agency,
            area=agency.area,
            address=f"{agency.name}, Huế",
        )
        desks = [
            Desk.objects.create(office=office, code=f"quay-{n}", name=f"Quầy số {n}")
            for n in (1, 2)
        ]
        officers = [
            Officer.objects.create(office=office, name=name, staff_code=f"CB{number}{k}")
            for k, name in enumerate(rng.sample(OFFICERS, 2), start=1)
        ]
        # Offices of different sizes: the smallest stays below the ranking's minimum.
        for k in range((30, 16, 7)[(number - 1) % 3]):
            desk = rng.choice(desks)
            with clock.frozen_at(clock.now() - timedelta(days=rng.uniform(0.5, 25))):
                dossier = dossier_issue(
                    desk=desk,
                    number=f"H{number:02d}.{k:04d}",
                    procedure=rng.choice(procedures),
                    officer=rng.choice(officers),
                )
                if rng.random() < 0.75:
                    answers = Answers(
                        level=rng.choice(LEVELS),
                        scores={
                            "attitude": rng.choice((2, 3, 3)),
                            "time": rng.choice((1, 2, 3, 3)),
                        },
                    )
                    rating_submit(desk=desk, answers=answers, via=Via.DOSSIER, dossier=dossier)
                    ratings += 1
    return {"service_offices": len(agencies), "service_ratings": ratings}
