"""Demo online services, for ``make run``: four procedures of Huế with their responsible
agency, documents, processing time and fee (two free). Seeding again adds nothing once a
service exists."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.agencies.models import Agency
from cityops.demo.hue.catalogue import CONSTRUCTION_DEPARTMENT, HOME_AFFAIRS, POLICE
from cityops.online.models import Fee, OnlineService
from cityops.online.services import application_finish, application_submit
from cityops.platform import clock

CCCD = {"key": "cccd", "name": "Căn cước công dân (ảnh hai mặt)", "required": True}
FREE_DEMO = ("xac-nhan-cu-tru", "dang-ky-khai-sinh")
WARD = "ward"  # the first ward's People's Committee, else the Department of Home Affairs

SERVICES: tuple[dict[str, Any], ...] = (
    {
        "code": "trich-luc-ho-tich",
        "name": "Cấp bản sao trích lục hộ tịch",
        "name_en": "Copy of a civil status extract",
        "procedure_code": "2.000635",
        "agency": WARD,
        "processing_days": 1,
        "fee": 8000,
        "legal_basis": "Thông tư 281/2016/TT-BTC",
        "documents": [
            CCCD,
            {"key": "to-khai", "name": "Tờ khai cấp bản sao trích lục hộ tịch", "required": True},
        ],
    },
    {
        "code": "giay-phep-xay-dung-nha-o",
        "name": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "name_en": "Building permit for a private house",
        "procedure_code": "1.009994",
        "agency": CONSTRUCTION_DEPARTMENT,
        "processing_days": 15,
        "fee": 75000,
        "legal_basis": "Nghị quyết HĐND tỉnh về lệ phí cấp giấy phép xây dựng",
        "documents": [
            CCCD,
            {"key": "don", "name": "Đơn đề nghị cấp giấy phép xây dựng", "required": True},
            {"key": "giay-to-dat", "name": "Giấy chứng nhận quyền sử dụng đất", "required": True},
            {"key": "ban-ve", "name": "Bản vẽ thiết kế (PDF)", "required": True},
        ],
    },
    {
        "code": "xac-nhan-cu-tru",
        "name": "Xác nhận thông tin về cư trú",
        "name_en": "Confirmation of residence",
        "procedure_code": "1.004194",
        "agency": POLICE,
        "processing_days": 3,
        "fee": 0,
        "legal_basis": "",
        "documents": [CCCD],
    },
    {
        "code": "dang-ky-khai-sinh",
        "name": "Đăng ký khai sinh",
        "name_en": "Birth registration",
        "procedure_code": "1.001193",
        "agency": WARD,
        "processing_days": 1,
        "fee": 0,
        "legal_basis": "",
        "documents": [
            CCCD,
            {"key": "chung-sinh", "name": "Giấy chứng sinh", "required": True},
            {"key": "to-khai", "name": "Tờ khai đăng ký khai sinh", "required": False},
        ],
    },
)


def _agency(code: str) -> Agency | None:
    if code == WARD:
        ward = Agency.objects.filter(code__startswith="ubnd-", is_active=True).order_by("code")
        return ward.first() or Agency.objects.filter(code=HOME_AFFAIRS).first()
    return Agency.objects.filter(code=code).first()


DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _applications(rng: random.Random) -> int:
    """A few weeks of free applications by the demo citizens, through the real services, about
    half finished by the agency's staff (when the demo has them): the dashboard's figures."""
    citizens = list(User.objects.filter(role=Role.CITIZEN, is_demo=True).order_by("pk")[:8])
    free = [s for s in OnlineService.objects.filter(code__in=FREE_DEMO).order_by("code")]
    if not citizens or not free:
        return 0
    made = 0
    for _ in range(12):
        service = rng.choice(free)
        staff = User.objects.filter(role=Role.AGENCY_STAFF, agency=service.agency).first()
        sent = clock.now() - timedelta(days=rng.uniform(1, 25))
        with clock.frozen_at(sent):
            application = application_submit(
                service=service,
                applicant=rng.choice(citizens),
                details="Hồ sơ mẫu (demo).",
                files={doc["key"]: DEMO_PDF for doc in service.documents if doc["required"]},
            )
        made += 1
        if staff is None or rng.random() < 0.4:
            continue
        with clock.frozen_at(sent + timedelta(days=rng.uniform(0.1, 4))):
            application_finish(
                application=application, actor=staff, result="Đã giải quyết (hồ sơ mẫu)."
            )
    return made


def online_seed_demo(*, seed: int = 2026) -> dict[str, int]:
    if OnlineService.objects.exists():
        return {"online_services": 0, "online_applications": 0}
    made = 0
    for spec in SERVICES:
        agency = _agency(str(spec["agency"]))
        if agency is None:
            continue
        service = OnlineService.objects.create(
            code=spec["code"],
            name=spec["name"],
            name_en=spec["name_en"],
            procedure_code=spec["procedure_code"],
            description="",
            documents=spec["documents"],
            processing_days=spec["processing_days"],
            agency=agency,
        )
        if spec["fee"]:
            Fee.objects.create(
                service=service,
                valid_from=date(2024, 1, 1),
                amount_vnd=spec["fee"],
                legal_basis=spec["legal_basis"],
            )
        made += 1
    return {"online_services": made, "online_applications": _applications(random.Random(seed))}
