"""The press bench's outlets (``bench/press.py``): what each of its feeds has published at any
moment, in Vietnamese, the same every time for the same feed, item and start.

Feed ``f`` publishes its own item ``k`` at ``epoch + phase(f) + k × period(f)`` (periods of 30
to 120 minutes: about 26 articles a day on average, as a section feed of a national outlet
or a provincial paper's news feed). Every twenty minutes a wire story ``w`` goes out; the feeds
with ``(f + w) % 25 == 0`` (eight of 200) carry it a few minutes later, each with its own first
sentence: near-duplicates that must become one story. A feed with ``f % 20 == 19`` is an
outlet's second section feed: it repeats the items of feed ``f - 1`` under the same addresses
(known items, fetched once). No text is copied from anywhere; every name is made up or a public
place name.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import lru_cache

FEED_ITEMS = 20
PERIODS_MIN = (30, 45, 60, 90, 120)
WIRE_EVERY_S = 1200
WIRE_SPREAD = 25  # one feed in 25 carries each wire story

PLACES = (
    "phường Phú Xuân",
    "phường Kim Long",
    "phường Vỹ Dạ",
    "phường Thuận Hóa",
    "phường Hương An",
    "phường Thủy Xuân",
    "phường An Cựu",
    "phường Thuận An",
    "phường Dương Nỗ",
    "phường Phú Bài",
    "phường Hương Thủy",
    "xã Phú Vang",
    "xã Quảng Điền",
    "xã Phú Lộc",
    "xã Nam Đông",
)
STREETS = (
    "Lê Lợi",
    "Hùng Vương",
    "Trần Hưng Đạo",
    "Nguyễn Huệ",
    "Điện Biên Phủ",
    "Lý Thường Kiệt",
    "Bà Triệu",
    "Nguyễn Sinh Cung",
    "Đống Đa",
    "Phan Đình Phùng",
    "Tố Hữu",
    "Võ Văn Kiệt",
)
WATCHED = (
    ("person", "Nguyễn Văn A"),
    ("person", "Trần Thị Mai Hoa"),
    ("person", "Lê Quang Vinh"),
    ("person", "Phạm Đức Thắng"),
    ("person", "Hoàng Minh Tuấn"),
    ("person", "Võ Thị Thu Hằng"),
    ("person", "Đặng Văn Phúc"),
    ("person", "Bùi Thanh Sơn"),
    ("agency", "Sở Xây dựng"),
    ("agency", "Sở Giao thông vận tải"),
    ("agency", "Sở Tài nguyên và Môi trường"),
    ("agency", "Công ty Môi trường và Công trình đô thị Huế"),
    ("agency", "Ban Quản lý dự án đầu tư xây dựng"),
    ("agency", "Công an thành phố Huế"),
    ("agency", "Trung tâm Bảo tồn Di tích Cố đô Huế"),
    ("agency", "Công ty Điện lực Thừa Thiên Huế"),
    ("place", "Đại Nội"),
    ("place", "cầu Trường Tiền"),
    ("place", "chợ Đông Ba"),
    ("place", "bãi biển Thuận An"),
    ("place", "đồi Vọng Cảnh"),
    ("place", "lăng Tự Đức"),
    ("project", "Cầu vượt Thủy Dương"),
    ("project", "dự án chỉnh trang bờ sông Hương"),
    ("project", "tuyến đường Nguyễn Hoàng nối dài"),
    ("project", "nhà máy xử lý rác Phú Sơn"),
)
SUBJECTS = {
    "negative": (
        "Ngập sâu kéo dài",
        "Rác thải tồn đọng",
        "Đường hư hỏng nặng",
        "Cây xanh gãy đổ",
        "Mất điện diện rộng",
        "Ùn tắc giao thông nghiêm trọng",
        "Công trình chậm tiến độ",
        "Nước sinh hoạt bốc mùi",
        "Sạt lở bờ sông",
        "Đèn đường hỏng nhiều tháng",
    ),
    "positive": (
        "Hoàn thành sớm",
        "Khánh thành",
        "Người dân hài lòng với",
        "Du khách tăng mạnh tại",
        "Trao tặng bằng khen cho",
        "Sáng, xanh, sạch hơn tại",
        "Thông xe trước hạn",
        "Khai trương tuyến phố đi bộ",
    ),
    "neutral": (
        "Họp bàn phương án",
        "Công bố kế hoạch",
        "Lấy ý kiến người dân về",
        "Triển khai đợt kiểm tra",
        "Điều chỉnh giờ hoạt động",
        "Thông báo lịch cắt nước",
        "Hướng dẫn đăng ký",
        "Tổng kết công tác",
    ),
}
OBJECTS = (
    "tuyến đường {street}",
    "khu dân cư {place}",
    "chợ {place}",
    "trường tiểu học {place}",
    "hệ thống thoát nước {place}",
    "công viên ven sông {place}",
    "khu tái định cư {place}",
    "nút giao {street} - {street2}",
)
# Phrases the body's sentences are put together from, a few at a time in any order: the text
# reads as news and two items share few three-word runs, as two real articles would.
CHUNKS = (
    "theo ghi nhận của phóng viên",
    "vào sáng nay",
    "từ đầu tuần",
    "nhiều hộ dân",
    "lực lượng chức năng",
    "chính quyền địa phương",
    "đã có mặt",
    "cho biết",
    "trong thời gian tới",
    "kiến nghị cấp trên",
    "kinh phí dự kiến",
    "khoảng {n} tỷ đồng",
    "hơn {n} hộ",
    "gần {n} mét",
    "đoạn đường dài",
    "mưa lớn kéo dài",
    "mực nước dâng cao",
    "xe máy chết máy",
    "người đi đường",
    "phải đi đường vòng",
    "tiếng ồn và bụi",
    "ban đêm",
    "các hộ kinh doanh",
    "tiểu thương",
    "đơn vị thi công",
    "chủ đầu tư",
    "hồ sơ thiết kế",
    "giải phóng mặt bằng",
    "cây xanh đô thị",
    "rác sinh hoạt",
    "nước thải",
    "mùi hôi",
    "đèn chiếu sáng",
    "biển báo",
    "vỉa hè",
    "lòng đường",
    "ổ gà",
    "dải phân cách",
    "học sinh",
    "phụ huynh",
    "du khách",
    "lễ hội",
    "di tích",
    "khách sạn",
    "nhà hàng",
    "giá vé",
    "bãi đỗ xe",
    "tuyến xe buýt",
    "người cao tuổi",
    "trạm y tế",
    "buổi tiếp xúc cử tri",
    "đại diện phường",
    "tổ dân phố",
    "ban quản lý",
    "kế hoạch năm",
    "quý tới",
    "kiểm tra thực tế",
    "xử lý dứt điểm",
    "khắc phục tạm thời",
    "báo cáo kết quả",
    "lắp đặt mới",
    "sửa chữa",
    "nạo vét",
    "gia cố",
    "mở rộng",
    "bàn giao",
    "nghiệm thu",
    "phản ánh nhiều lần",
    "chưa được giải quyết",
    "đã được khắc phục",
    "rất phấn khởi",
    "tỏ ra lo lắng",
    "bày tỏ bức xúc",
    "đánh giá cao",
    "đề nghị làm rõ",
    "sẽ tiếp tục theo dõi",
)


def _rng(*key: object) -> random.Random:
    seed = hashlib.sha256(repr(key).encode()).digest()[:8]
    return random.Random(int.from_bytes(seed, "big"))


def period_s(feed: int) -> int:
    return PERIODS_MIN[(feed * 7) % len(PERIODS_MIN)] * 60


def phase_s(feed: int) -> int:
    return (feed * 997) % period_s(feed)


@dataclass(frozen=True)
class Article:
    key: str  # "a-<k>" (own) or "w-<w>" (wire)
    feed: int  # the feed whose address it has
    published: int  # seconds since 1970
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    tone: str

    def path(self) -> str:
        return f"/f{self.feed}/{self.key}.html"


def _sentence(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(4, 7)):
        chunk = rng.choice(CHUNKS).format(n=rng.randint(2, 900))
        words.append(chunk)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, place: str) -> list[str]:
    paragraphs = []
    for _ in range(rng.randint(8, 12)):
        sentences = [_sentence(rng) for _ in range(rng.randint(3, 5))]
        if rng.random() < 0.25:
            name = rng.choice(WATCHED)[1]
            where = rng.randint(0, len(sentences))
            sentences.insert(where, f"Theo {name}, tình hình tại {place} đang được theo dõi.")
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _headline(rng: random.Random) -> tuple[str, str, str]:
    tone = rng.choice(("negative", "negative", "neutral", "neutral", "positive"))
    street, street2 = rng.sample(STREETS, 2)
    place = rng.choice(PLACES)
    thing = rng.choice(OBJECTS).format(street=street, street2=street2, place=place)
    return tone, f"{rng.choice(SUBJECTS[tone])} {thing}", place


@lru_cache(maxsize=20000)
def own_article(feed: int, k: int, epoch: int) -> Article:
    rng = _rng("own", feed, k)
    tone, title, place = _headline(rng)
    if rng.random() < 0.3:
        title = f"{title}: {rng.choice(WATCHED)[1]} lên tiếng"
    lead = f"{title} khiến {_sentence(rng).lower()}"
    published = epoch + phase_s(feed) + k * period_s(feed)
    return Article(f"a-{k}", feed, published, title, lead, tuple(_body(rng, place)), tone)


@lru_cache(maxsize=4096)
def _wire(w: int) -> tuple[str, str, tuple[str, ...], str]:
    rng = _rng("wire", w)
    tone, title, place = _headline(rng)
    lead = f"{title}: {_sentence(rng).lower()}"
    return title, lead, tuple(_body(rng, place)), tone


def wire_delay_s(feed: int) -> int:
    return 60 + (feed % 7) * 60


@lru_cache(maxsize=20000)
def wire_article(feed: int, w: int, epoch: int) -> Article:
    title, lead, body, tone = _wire(w)
    intro = f"Theo phóng viên của báo số {feed}, {_sentence(_rng('intro', feed, w)).lower()}"
    return Article(
        f"w-{w}",
        feed,
        epoch + w * WIRE_EVERY_S + wire_delay_s(feed),
        title,
        lead,
        (intro, *body),
        tone,
    )


def own_latest(feed: int, at: float, epoch: int, count: int) -> list[Article]:
    last = int((at - epoch - phase_s(feed)) // period_s(feed))
    return [own_article(feed, k, epoch) for k in range(max(0, last - count + 1), last + 1)]


def wire_latest(feed: int, at: float, epoch: int, count: int) -> list[Article]:
    last = int((at - epoch - wire_delay_s(feed)) // WIRE_EVERY_S)
    first_w = last - (last + feed) % WIRE_SPREAD  # the latest w with (feed + w) % 25 == 0
    found: list[Article] = []
    w = first_w
    while w >= 0 and len(found) < count:
        found.append(wire_article(feed, w, epoch))
        w -= WIRE_SPREAD
    return found


def feed_items(feed: int, at: float, epoch: int) -> list[Article]:
    """What feed ``feed`` shows at ``at``: its latest ``FEED_ITEMS`` articles, newest first."""
    articles = own_latest(feed, at, epoch, FEED_ITEMS) + wire_latest(feed, at, epoch, FEED_ITEMS)
    if feed % 20 == 19:
        articles += own_latest(feed - 1, at, epoch, FEED_ITEMS)
    articles.sort(key=lambda a: (a.published, a.feed, a.key), reverse=True)
    return articles[:FEED_ITEMS]


def published_between(feed: int, start: float, end: float, epoch: int) -> list[Article]:
    """Every article feed ``feed`` published itself (own and wire, not the repeated ones) in
    ``[start, end)``, oldest first."""
    articles = []
    first = max(0, int((start - epoch - phase_s(feed)) // period_s(feed)))
    k = first
    while (article := own_article(feed, k, epoch)).published < end:
        if article.published >= start:
            articles.append(article)
        k += 1
    w = max(0, int((start - epoch) // WIRE_EVERY_S) - 1)
    while epoch + w * WIRE_EVERY_S + wire_delay_s(feed) < end:
        if (feed + w) % WIRE_SPREAD == 0:
            article = wire_article(feed, w, epoch)
            if article.published >= start:
                articles.append(article)
        w += 1
    return sorted(articles, key=lambda a: a.published)
