"""Planned land-use codes: the Vietnamese name and the map colour of each.

The codes are those of the land classification of Thông tư 08/2024/TT-BTNMT (land statistics
and land-use maps, after the Land Law 2024), plus the few codes zoning plans use on their own
legends (e.g. CXK, HTKT). The colours follow the usual legend of land-use and zoning maps:
yellows and oranges for housing, reds for public and commercial uses, greens for trees and
forest, blues for water, greys for transport and infrastructure.

``land_use(code)`` is what the importer, the public lookup and the map read.
"""

from __future__ import annotations

import re

UNKNOWN_COLOUR = "#9e9e9e"

# code: (Vietnamese name, colour)
LAND_USES: dict[str, tuple[str, str]] = {
    # Nhóm đất nông nghiệp
    "LUA": ("Đất trồng lúa", "#fffd6b"),
    "LUC": ("Đất chuyên trồng lúa", "#fffc5c"),
    "LUK": ("Đất trồng lúa còn lại", "#fffe8c"),
    "HNK": ("Đất trồng cây hằng năm khác", "#fff0b4"),
    "CLN": ("Đất trồng cây lâu năm", "#ffd2a0"),
    "RSX": ("Đất rừng sản xuất", "#b4ffb4"),
    "RPH": ("Đất rừng phòng hộ", "#6edc6e"),
    "RDD": ("Đất rừng đặc dụng", "#6ebe6e"),
    "NTS": ("Đất nuôi trồng thủy sản", "#aaffff"),
    "CNT": ("Đất chăn nuôi tập trung", "#ffd2c8"),
    "LMU": ("Đất làm muối", "#e6e6fa"),
    "NKH": ("Đất nông nghiệp khác", "#f5dcb4"),
    # Nhóm đất phi nông nghiệp: ở
    "ODT": ("Đất ở tại đô thị", "#ffa0aa"),
    "ONT": ("Đất ở tại nông thôn", "#ffd0ff"),
    # Trụ sở, quốc phòng, an ninh
    "TSC": ("Đất xây dựng trụ sở cơ quan", "#ff6450"),
    "DQP": ("Đất quốc phòng", "#ff5046"),
    "DAN": ("Đất an ninh", "#ff5046"),
    # Công trình sự nghiệp
    "DSN": ("Đất xây dựng công trình sự nghiệp", "#ffaa82"),
    "DTS": ("Đất xây dựng trụ sở của tổ chức sự nghiệp", "#ffaa82"),
    "DVH": ("Đất xây dựng cơ sở văn hóa", "#ffaa82"),
    "DXH": ("Đất xây dựng cơ sở dịch vụ xã hội", "#ffaa82"),
    "DYT": ("Đất xây dựng cơ sở y tế", "#ffaa82"),
    "DGD": ("Đất xây dựng cơ sở giáo dục và đào tạo", "#ffaa82"),
    "DTT": ("Đất xây dựng cơ sở thể dục, thể thao", "#ffaa82"),
    "DKH": ("Đất xây dựng cơ sở khoa học và công nghệ", "#ffaa82"),
    "DMT": ("Đất xây dựng cơ sở môi trường", "#ffaa82"),
    "DKT": ("Đất xây dựng cơ sở khí tượng thủy văn", "#ffaa82"),
    "DNG": ("Đất xây dựng cơ sở ngoại giao", "#ffaa82"),
    "DSK": ("Đất xây dựng công trình sự nghiệp khác", "#ffaa82"),
    # Sản xuất, kinh doanh phi nông nghiệp
    "CSK": ("Đất sản xuất, kinh doanh phi nông nghiệp", "#fa96b4"),
    "SKK": ("Đất khu công nghiệp", "#fa96b4"),
    "SKN": ("Đất cụm công nghiệp", "#fa96b4"),
    "TMD": ("Đất thương mại, dịch vụ", "#fa78b4"),
    "SKC": ("Đất cơ sở sản xuất phi nông nghiệp", "#fa96b4"),
    "SKS": ("Đất sử dụng cho hoạt động khoáng sản", "#cdaafa"),
    "SKX": ("Đất sản xuất vật liệu xây dựng, làm đồ gốm", "#cdaafa"),
    # Công trình công cộng
    "CCC": ("Đất sử dụng vào mục đích công cộng", "#ffaa32"),
    "DGT": ("Đất công trình giao thông", "#d2d2d2"),
    "DTL": ("Đất công trình thủy lợi", "#aaffff"),
    "DCH": ("Đất chợ dân sinh, chợ đầu mối", "#ffaa32"),
    "DDD": ("Đất công trình di tích lịch sử - văn hóa, danh lam thắng cảnh", "#ffaa32"),
    "DDT": ("Đất có di tích lịch sử - văn hóa", "#ffaa32"),
    "DDL": ("Đất danh lam thắng cảnh", "#ffaa32"),
    "DSH": ("Đất sinh hoạt cộng đồng", "#ffaa32"),
    "DKV": ("Đất khu vui chơi, giải trí công cộng", "#a0e6a0"),
    "DNL": ("Đất công trình năng lượng, chiếu sáng công cộng", "#ffaa32"),
    "DBV": ("Đất công trình hạ tầng bưu chính, viễn thông", "#ffaa32"),
    "DRA": ("Đất công trình xử lý chất thải", "#cdaa66"),
    "DCK": ("Đất công trình công cộng khác", "#ffaa32"),
    # Tôn giáo, tín ngưỡng, nghĩa trang, mặt nước
    "TON": ("Đất tôn giáo", "#ffaa32"),
    "TIN": ("Đất tín ngưỡng", "#ffaa32"),
    "NTD": ("Đất nghĩa trang, nhà tang lễ, cơ sở hỏa táng", "#d2d2d2"),
    "SON": ("Đất có mặt nước chuyên dùng dạng sông, ngòi, kênh, rạch, suối", "#a0dcff"),
    "MNC": ("Đất có mặt nước chuyên dùng", "#b4e6ff"),
    "PNK": ("Đất phi nông nghiệp khác", "#ffc8aa"),
    # Nhóm đất chưa sử dụng
    "BCS": ("Đất bằng chưa sử dụng", "#ffffe6"),
    "DCS": ("Đất đồi núi chưa sử dụng", "#ffffe6"),
    "NCS": ("Núi đá không có rừng cây", "#e6e6c8"),
    # Codes of zoning plans' own legends (quy hoạch phân khu, chi tiết)
    "CXK": ("Đất cây xanh sử dụng công cộng", "#64c864"),
    "CXCL": ("Đất cây xanh chuyên dụng", "#50b450"),
    "CX": ("Đất cây xanh", "#64c864"),
    "HH": ("Đất hỗn hợp", "#e67878"),
    "HTKT": ("Đất hạ tầng kỹ thuật", "#bebebe"),
    "BDX": ("Đất bãi đỗ xe", "#c8c8c8"),
}

_PREFIX = re.compile(r"[A-Z]+")


def land_use(code: str) -> tuple[str, str]:
    """The Vietnamese name and colour (``#rrggbb``) of a land-use code.

    A code with a plan's own suffix (``ODT-1``, ``CXK2``) reads as its letters; a code of no
    known kind is named by itself, in grey.
    """
    normal = (code or "").strip().upper()
    if normal in LAND_USES:
        return LAND_USES[normal]
    letters = _PREFIX.match(normal)
    if letters and letters.group() in LAND_USES:
        return LAND_USES[letters.group()]
    return normal, UNKNOWN_COLOUR
