"""Vietnamese texts around the demo reports: places, people, notes, reasons and replies.

The reports themselves are in ``report_templates``. Written for the demo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cityops.reports.choices import RatingValue, RejectionReason

if TYPE_CHECKING:
    from cityops.agencies.models import Agency

CENTRAL_STREETS = (
    "Lê Lợi",
    "Hùng Vương",
    "Trần Hưng Đạo",
    "Nguyễn Huệ",
    "Điện Biên Phủ",
    "Phan Bội Châu",
    "Bà Triệu",
    "Đống Đa",
    "Lý Thường Kiệt",
    "Chi Lăng",
    "Kim Long",
    "Nguyễn Sinh Cung",
    "Lê Duẩn",
    "Đinh Tiên Hoàng",
    "Mai Thúc Loan",
    "Nguyễn Trãi",
    "Trường Chinh",
    "Tôn Đức Thắng",
    "Nguyễn Tất Thành",
    "Võ Nguyên Giáp",
    "Tố Hữu",
    "Hà Nội",
    "Bến Nghé",
    "Phạm Văn Đồng",
    "Huỳnh Thúc Kháng",
    "Ngự Bình",
    "An Dương Vương",
    "Nguyễn Công Trứ",
)
OUTER_STREETS = (
    "Quốc lộ 1A",
    "Quốc lộ 49",
    "đường Hồ Chí Minh",
    "Tỉnh lộ 10",
    "đường liên thôn",
    "đường Tự Do",
    "Tỉnh lộ 19",
    "đường ven biển",
    "đường Nguyễn Văn Chư",
)
CENTRAL_PLACES = (
    "chợ Đông Ba",
    "cầu Trường Tiền",
    "Đại Nội",
    "cửa Thượng Tứ",
    "ga Huế",
    "Trường THPT Quốc Học",
    "Bệnh viện Trung ương Huế",
    "công viên Tứ Tượng",
    "cồn Hến",
    "chợ An Cựu",
    "Nghinh Lương Đình",
    "bến thuyền Tòa Khâm",
    "trường Đại học Sư phạm Huế",
    "chợ Bến Ngự",
    "cầu Phú Xuân",
    "chùa Thiên Mụ",
)
OUTER_PLACES = (
    "chợ xã",
    "trạm y tế xã",
    "nhà văn hóa thôn",
    "trường tiểu học",
    "UBND xã",
    "bến đò",
    "ngã ba thôn",
    "cổng làng",
)

RESULT_TEMPLATE = (
    "Kính gửi: Quý Ông/Bà. Vấn đề quý Ông/Bà phản ánh, {agency} xin thông báo kết quả xử lý "
    "như sau: {outcome} Trân trọng./."
)


def result_text(*, agency: Agency | None, outcome: str) -> str:
    """The answer to the reporter, from the agency that handled the report or from the IOC."""
    sender = agency.name if agency else "Trung tâm IOC"
    return RESULT_TEMPLATE.format(agency=sender, outcome=outcome)


IOC_NOTES = (
    "Đã liên hệ người phản ánh để xác minh vị trí.",
    "Đã kiểm tra camera khu vực, thông tin phản ánh là đúng.",
    "Phản ánh có nhiều người cùng gửi, đề nghị đơn vị ưu tiên xử lý.",
    "Đã nhắc đơn vị xử lý về thời hạn.",
)
AGENCY_NOTES = (
    "Đơn vị đã tiếp nhận và cử cán bộ kiểm tra hiện trường.",
    "Đã kiểm tra hiện trường, đang phối hợp với tổ dân phố xử lý.",
    "Đang chờ vật tư để khắc phục, dự kiến hoàn thành trong tuần.",
    "Đã mời chủ hộ lên làm việc.",
    "Đơn vị đang phối hợp với UBND phường để xử lý dứt điểm.",
)
EXTENSION_REASONS = (
    "Cần phối hợp nhiều đơn vị và chờ kết quả giám định hiện trạng.",
    "Thời tiết mưa kéo dài, chưa thể thi công khắc phục.",
    "Cần chờ quyết định xử phạt của cấp có thẩm quyền.",
    "Phải đặt mua vật tư chuyên dụng.",
)
RETURN_REASONS = (
    "Nội dung không thuộc thẩm quyền của đơn vị, đề nghị chuyển đơn vị quản lý trực tiếp.",
    "Vị trí phản ánh không thuộc phạm vi đơn vị quản lý.",
)
REJECTIONS: tuple[tuple[RejectionReason, str], ...] = (
    (
        RejectionReason.INSUFFICIENT_INFORMATION,
        "Phản ánh chưa nêu rõ vị trí, đã liên hệ nhưng không được phản hồi.",
    ),
    (
        RejectionReason.OUT_OF_SCOPE,
        "Nội dung là tranh chấp dân sự giữa các hộ gia đình, đề nghị liên hệ Tòa án nhân dân.",
    ),
    (RejectionReason.OUTSIDE_JURISDICTION, "Vị trí phản ánh thuộc địa bàn thành phố Đà Nẵng."),
    (RejectionReason.SPAM, "Nội dung quảng cáo, không phải phản ánh hiện trường."),
    (RejectionReason.ABUSIVE, "Nội dung có ngôn từ xúc phạm, không đúng quy chế."),
)
SATISFIED_COMMENTS = (
    "Cảm ơn đơn vị đã xử lý nhanh.",
    "Xử lý tốt, cảm ơn.",
    "",
    "",
    "Rất hài lòng.",
)
ACCEPTABLE_COMMENTS = ("Đã xử lý nhưng hơi chậm.", "Tạm được.", "")
UNSATISFIED_COMMENTS = (
    "Vấn đề vẫn chưa được khắc phục triệt để.",
    "Chỉ xử lý tạm thời, vài hôm sau lại như cũ.",
    "Kết quả trả lời không đúng thực tế.",
)
RATING_COMMENTS = {
    RatingValue.SATISFIED: SATISFIED_COMMENTS,
    RatingValue.ACCEPTABLE: ACCEPTABLE_COMMENTS,
    RatingValue.UNSATISFIED: UNSATISFIED_COMMENTS,
}
CLOSE_NOTES = (
    "Đóng phản ánh: người phản ánh không đánh giá sau thời hạn.",
    "Đã liên hệ qua điện thoại, người phản ánh xác nhận đã được xử lý.",
)
MERGE_NOTES = (
    "Trùng nội dung với phản ánh đang được xử lý, gộp để theo dõi chung.",
    "Cùng vị trí, cùng sự việc; gộp vào phản ánh gốc.",
)

FAMILY_NAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Võ",
    "Đặng",
    "Bùi",
    "Tôn Nữ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
)
GIVEN_NAMES = (
    "Văn An",
    "Thị Bình",
    "Minh Châu",
    "Quang Dũng",
    "Thị Hoa",
    "Hữu Khánh",
    "Thị Lan",
    "Đức Long",
    "Thị Mai",
    "Văn Nam",
    "Ngọc Phương",
    "Thanh Quý",
    "Thị Sương",
    "Văn Tâm",
    "Thị Thu",
    "Anh Tuấn",
    "Thị Vân",
    "Hoài Linh",
)
