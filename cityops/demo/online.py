"""Demo online services, for ``make run``: four procedures of Huế with their responsible
agency, documents, processing time and fee (two free). Seeding again adds nothing once a
service exists."""

from __future__ import annotations

from datetime import date
from typing import Any

from cityops.agencies.models import Agency
from cityops.demo.hue.catalogue import CONSTRUCTION_DEPARTMENT, HOME_AFFAIRS, POLICE
from cityops.online.models import Fee, OnlineService

CCCD = {"key": "cccd", "name": "Căn cước công dân (ảnh hai mặt)", "required": True}
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


def online_seed_demo() -> dict[str, int]:
    if OnlineService.objects.exists():
        return {"online_services": 0}
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
    return {"online_services": made}
