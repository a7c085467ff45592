"""Huế's configuration as data: deadline policies, categories, agencies and routing rules.

Everything here is keyed by a stable code, so the seed can update it in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cityops.agencies.choices import AgencyKind
from cityops.reports.choices import Priority

# Agency codes other modules (the demo data, tests) refer to.
IOC = "ioc-hue"
CONSTRUCTION_DEPARTMENT = "so-xay-dung"
HOME_AFFAIRS = "so-noi-vu"
TOURISM_DEPARTMENT = "so-du-lich"
POLICE = "cong-an-hue"
HEPCO = "hepco"
POWER = "dien-luc-hue"
PARKS = "cong-vien-cay-xanh-hue"

DEFAULT_POLICY = "Huế default"
PUBLIC_ORDER_POLICY = "Huế — an ninh trật tự (xử lý nhanh)"
CONSTRUCTION_POLICY = "Huế — trật tự xây dựng (phức tạp)"


@dataclass(frozen=True)
class PolicySpec:
    name: str
    ack_minutes: int
    urgent_hours: int
    normal_days: int
    complex_days: int
    is_default: bool = False


POLICIES = (
    PolicySpec(DEFAULT_POLICY, 30, 4, 7, 15, is_default=True),
    # Security and public-order reports (brawls, noise at night) lose their point in days.
    PolicySpec(PUBLIC_ORDER_POLICY, 15, 2, 3, 7),
    # Illegal building needs inspection, a record and often a demolition decision.
    PolicySpec(CONSTRUCTION_POLICY, 30, 8, 10, 15),
)


def _choice(key: str, name: str) -> dict[str, str]:
    return {"key": key, "name": name}


def _attribute(
    code: str,
    datatype: str,
    description: str,
    *,
    order: int,
    required: bool = False,
    datatype_description: str = "",
    values: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """One Open311 service-definition attribute."""
    return {
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": datatype_description,
        "order": order,
        "description": description,
        "values": values or [],
    }


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    description: str
    description_en: str
    group: str
    keywords: str
    default_priority: Priority = Priority.NORMAL
    policy: str | None = None  # None: the city default
    attributes: list[dict[str, Any]] = field(default_factory=list)


CATEGORIES = (
    CategorySpec(
        "construction-order",
        "Trật tự xây dựng",
        "Construction order",
        "Xây dựng không phép, sai phép, lấn chiếm hành lang, vật liệu xây dựng để tràn lòng "
        "đường, công trình gây mất an toàn cho khu dân cư.",
        "Building without or against a permit, encroachment, construction materials left on "
        "the road, building sites that endanger neighbours.",
        "Xây dựng và đô thị",
        "xây dựng, không phép, sai phép, lấn chiếm, công trình",
        default_priority=Priority.COMPLEX,
        policy=CONSTRUCTION_POLICY,
        attributes=[
            _attribute(
                "work_kind",
                "singlevaluelist",
                "Loại vi phạm / Kind of violation",
                order=1,
                required=True,
                values=[
                    _choice("no_permit", "Xây dựng không phép / No permit"),
                    _choice("against_permit", "Xây dựng sai phép / Against the permit"),
                    _choice("encroachment", "Lấn chiếm / Encroachment"),
                    _choice("materials", "Vật liệu trên đường / Materials on the road"),
                    _choice("unsafe", "Mất an toàn / Unsafe site"),
                ],
            ),
        ],
    ),
    CategorySpec(
        "sanitation",
        "Vệ sinh môi trường",
        "Sanitation and environment",
        "Rác thải chưa được thu gom, đổ trộm phế thải, nước thải, mùi hôi, xác động vật, "
        "ô nhiễm môi trường.",
        "Uncollected waste, fly-tipping, waste water, smells, dead animals, pollution.",
        "Môi trường",
        "rác, rác thải, phế thải, ô nhiễm, mùi hôi, nước thải, vệ sinh",
        attributes=[
            _attribute(
                "waste_type",
                "singlevaluelist",
                "Loại rác / Kind of waste",
                order=1,
                required=True,
                values=[
                    _choice("household", "Rác sinh hoạt / Household waste"),
                    _choice("construction", "Phế thải xây dựng / Construction debris"),
                    _choice("bulky", "Đồ cồng kềnh / Bulky items"),
                    _choice("hazardous", "Chất thải nguy hại / Hazardous waste"),
                    _choice("dead_animal", "Xác động vật / Dead animal"),
                    _choice("wastewater", "Nước thải / Waste water"),
                ],
            ),
            _attribute(
                "volume_m3",
                "number",
                "Khối lượng ước tính (m³) / Estimated volume",
                order=2,
                datatype_description="Cubic metres, e.g. 0.5",
            ),
        ],
    ),
    CategorySpec(
        "traffic-infrastructure",
        "Hạ tầng giao thông",
        "Traffic infrastructure",
        "Đường hư hỏng, ổ gà, sụt lún, nắp hố ga, biển báo, đèn tín hiệu giao thông, cầu, "
        "vỉa hè hư hỏng.",
        "Damaged roads, potholes, subsidence, manhole covers, road signs, traffic lights, "
        "bridges, broken pavements.",
        "Giao thông",
        "ổ gà, sụt lún, hố ga, đèn tín hiệu, biển báo, vỉa hè, cầu, đường",
        attributes=[
            _attribute(
                "hazard_size",
                "singlevaluelist",
                "Kích thước hư hỏng / Hazard size",
                order=1,
                required=True,
                values=[
                    _choice("small", "Nhỏ, dưới 0,5 m / Small, under 0.5 m"),
                    _choice("medium", "Vừa, 0,5–2 m / Medium, 0.5–2 m"),
                    _choice("large", "Lớn, trên 2 m / Large, over 2 m"),
                ],
            ),
            _attribute(
                "blocks_traffic",
                "singlevaluelist",
                "Có cản trở giao thông? / Does it block traffic?",
                order=2,
                values=[_choice("yes", "Có / Yes"), _choice("no", "Không / No")],
            ),
        ],
    ),
    CategorySpec(
        "urban-infrastructure",
        "Hạ tầng đô thị: chiếu sáng, cấp thoát nước, cây xanh",
        "Urban infrastructure: lighting, water and drainage, trees",
        "Hạ tầng đô thị: chiếu sáng, cấp thoát nước, cây xanh — đèn đường hỏng, vỡ ống nước, "
        "ngập úng, cống tắc, cây xanh gãy đổ hoặc nguy hiểm.",
        "Urban infrastructure: street lighting, water supply and drainage, trees — broken "
        "street lights, burst pipes, flooding, blocked drains, fallen or dangerous trees.",
        "Hạ tầng đô thị",
        "đèn đường, chiếu sáng, cấp nước, thoát nước, ngập, cống, cây xanh",
        attributes=[
            _attribute(
                "asset",
                "singlevaluelist",
                "Hạng mục / Asset",
                order=1,
                required=True,
                values=[
                    _choice("lighting", "Chiếu sáng / Street lighting"),
                    _choice("water_supply", "Cấp nước / Water supply"),
                    _choice("drainage", "Thoát nước, ngập / Drainage, flooding"),
                    _choice("trees", "Cây xanh / Trees"),
                    _choice("parks", "Công viên / Parks"),
                ],
            ),
            _attribute(
                "pole_number",
                "string",
                "Số hiệu cột đèn / Lamp-post number",
                order=2,
                datatype_description="As painted on the post, e.g. LL-045",
            ),
        ],
    ),
    CategorySpec(
        "public-order",
        "An ninh, trật tự xã hội",
        "Public order and security",
        "Gây rối, đánh nhau, tụ tập, karaoke gây ồn ban đêm, lấn chiếm vỉa hè buôn bán, "
        "đỗ xe sai quy định, tệ nạn xã hội.",
        "Disturbances, fights, noise at night, street vending on pavements, illegal "
        "parking, social vices.",
        "An ninh trật tự",
        "gây rối, ồn ào, karaoke, lấn chiếm vỉa hè, đỗ xe, tệ nạn",
        policy=PUBLIC_ORDER_POLICY,
        attributes=[
            _attribute(
                "happening_now",
                "singlevaluelist",
                "Sự việc đang diễn ra? / Is it happening now?",
                order=1,
                values=[_choice("yes", "Có / Yes"), _choice("no", "Không / No")],
            ),
            _attribute("observed_at", "datetime", "Thời điểm xảy ra / When it happened", order=2),
        ],
    ),
    CategorySpec(
        "tourism",
        "Chất lượng dịch vụ du lịch",
        "Quality of tourism services",
        "Chặt chém, đeo bám, chèo kéo du khách, dịch vụ lưu trú, lữ hành, ăn uống, vận "
        "chuyển du lịch kém chất lượng; vệ sinh tại điểm di tích.",
        "Overcharging and touting, poor lodging, tours, food or tourist transport; upkeep "
        "at heritage sites.",
        "Du lịch",
        "du lịch, chặt chém, chèo kéo, khách sạn, nhà hàng, xích lô, di tích",
        attributes=[
            _attribute("business_name", "string", "Tên cơ sở kinh doanh / Business name", order=1),
            _attribute(
                "service_kind",
                "multivaluelist",
                "Dịch vụ liên quan / Services",
                order=2,
                values=[
                    _choice("lodging", "Lưu trú / Lodging"),
                    _choice("food", "Ăn uống / Food and drink"),
                    _choice("transport", "Vận chuyển / Transport"),
                    _choice("tour", "Lữ hành, hướng dẫn / Tours and guides"),
                    _choice("heritage_site", "Điểm di tích / Heritage site"),
                ],
            ),
        ],
    ),
    CategorySpec(
        "administrative-conduct",
        "Cán bộ, công chức chậm trễ, gây phiền hà trong thủ tục hành chính",
        "Civil servants' delays and obstruction in administrative procedures",
        "Cán bộ, công chức chậm trễ, gây phiền hà trong thủ tục hành chính; thái độ thiếu "
        "chuẩn mực; yêu cầu giấy tờ ngoài quy định.",
        "Civil servants delaying or obstructing administrative procedures, improper "
        "behaviour, requests for papers the rules do not require.",
        "Hành chính công",
        "thủ tục hành chính, chậm trễ, phiền hà, thái độ, cán bộ",
        attributes=[
            _attribute(
                "office",
                "string",
                "Cơ quan, bộ phận một cửa / Office concerned",
                order=1,
                required=True,
            ),
            _attribute(
                "file_number",
                "string",
                "Mã hồ sơ / Application number",
                order=2,
                datatype_description="As printed on the receipt",
            ),
        ],
    ),
    CategorySpec(
        "other",
        "Khác",
        "Other",
        "Những phản ánh không thuộc các lĩnh vực trên; Trung tâm IOC phân loại và chuyển "
        "đơn vị phù hợp.",
        "Anything that fits no other category; the IOC classifies and forwards it.",
        "Khác",
        "khác, góp ý, kiến nghị",
    ),
)


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    name_en: str
    kind: AgencyKind


AGENCIES = (
    AgencySpec(
        IOC,
        "Trung tâm Giám sát, điều hành đô thị thông minh Huế",
        "Huế Intelligent Operations Center",
        AgencyKind.IOC,
    ),
    AgencySpec(
        CONSTRUCTION_DEPARTMENT, "Sở Xây dựng", "Department of Construction", AgencyKind.DEPARTMENT
    ),
    AgencySpec(
        "so-nong-nghiep-moi-truong",
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
        AgencyKind.DEPARTMENT,
    ),
    AgencySpec(
        "so-van-hoa-the-thao",
        "Sở Văn hóa và Thể thao",
        "Department of Culture and Sports",
        AgencyKind.DEPARTMENT,
    ),
    AgencySpec(TOURISM_DEPARTMENT, "Sở Du lịch", "Department of Tourism", AgencyKind.DEPARTMENT),
    AgencySpec(HOME_AFFAIRS, "Sở Nội vụ", "Department of Home Affairs", AgencyKind.DEPARTMENT),
    AgencySpec("so-y-te", "Sở Y tế", "Department of Health", AgencyKind.DEPARTMENT),
    AgencySpec(POLICE, "Công an thành phố Huế", "Huế City Police", AgencyKind.POLICE),
    AgencySpec(
        HEPCO,
        "Công ty CP Môi trường và Công trình đô thị Huế (HEPCO)",
        "Huế Urban Environment and Public Works JSC (HEPCO)",
        AgencyKind.UTILITY,
    ),
    AgencySpec(
        POWER, "Công ty Điện lực Thừa Thiên Huế", "Thừa Thiên Huế Power Company", AgencyKind.UTILITY
    ),
    AgencySpec(
        "huewaco",
        "Công ty CP Cấp nước Thừa Thiên Huế (HUEWACO)",
        "Thừa Thiên Huế Water Supply JSC (HUEWACO)",
        AgencyKind.UTILITY,
    ),
    AgencySpec(
        PARKS, "Công ty Công viên cây xanh Huế", "Huế Parks and Trees Company", AgencyKind.UTILITY
    ),
    AgencySpec(
        "ban-qlda-xay-dung",
        "Ban Quản lý dự án đầu tư xây dựng",
        "Construction Investment Project Management Board",
        AgencyKind.DEPARTMENT,
    ),
    AgencySpec("vnpt-hue", "VNPT Huế", "VNPT Huế", AgencyKind.TELECOM),
    AgencySpec("viettel-hue", "Viettel Huế", "Viettel Huế", AgencyKind.TELECOM),
    AgencySpec(
        "bao-ton-di-tich-hue",
        "Trung tâm Bảo tồn Di tích Cố đô Huế",
        "Huế Monuments Conservation Centre",
        AgencyKind.DEPARTMENT,
    ),
)


def committee_code(area_code: str) -> str:
    return f"ubnd-{area_code}"


@dataclass(frozen=True)
class RuleSpec:
    category: str
    agency: str | None = None  # None with to_area_committee: the report's own ward committee
    area: str | None = None  # None: city-wide
    to_area_committee: bool = False


# Area codes of the central wards that get their own urban-infrastructure rule.
PHU_XUAN, THUAN_HOA, VY_DA, AN_CUU = "19753", "19789", "19777", "19815"

ROUTING = (
    RuleSpec("construction-order", to_area_committee=True),
    RuleSpec("sanitation", HEPCO),
    RuleSpec("traffic-infrastructure", CONSTRUCTION_DEPARTMENT),
    RuleSpec("urban-infrastructure", to_area_committee=True),
    # In the old city centre the urban-infrastructure reports are mostly about the Citadel's
    # and the riverside's old trees and parks (Phú Xuân, Thuận Hóa): the parks company owns
    # those, so it takes them directly. In Vỹ Dạ and An Cựu, dense residential wards, they are
    # mostly dark streets and power faults: the power company, which runs the street-lighting
    # grid there. Everywhere else the ward committee receives them and coordinates.
    RuleSpec("urban-infrastructure", PARKS, area=PHU_XUAN),
    RuleSpec("urban-infrastructure", PARKS, area=THUAN_HOA),
    RuleSpec("urban-infrastructure", POWER, area=VY_DA),
    RuleSpec("urban-infrastructure", POWER, area=AN_CUU),
    RuleSpec("public-order", POLICE),
    RuleSpec("tourism", TOURISM_DEPARTMENT),
    RuleSpec("administrative-conduct", HOME_AFFAIRS),
    # "other" has no rule on purpose: it stays in the IOC's queue for a person to classify.
)
