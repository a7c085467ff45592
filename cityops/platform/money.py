"""Amounts of đồng as Vietnamese writes them: "50.000 đ" in figures (dots group the
thousands), "Năm mươi nghìn đồng" in words (a receipt carries both)."""

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]


def _triple(number: int, *, full: bool) -> list[str]:
    """Words of 0..999; ``full`` when a higher group precedes it (so "không trăm", "linh")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return words


def vnd_in_words(amount: int) -> str:
    """``1_250_000`` → "Một triệu hai trăm năm mươi nghìn đồng"."""
    if amount < 0:
        raise ValueError("a negative amount")
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        if groups[index] == 0:
            continue
        words += _triple(groups[index], full=bool(words))
        if SCALES[index]:
            words.append(SCALES[index])
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]


def thousands(amount: int) -> str:
    """``18000000`` → "18.000.000"."""
    return f"{amount:,}".replace(",", ".")


def vnd(amount: int) -> str:
    """``50000`` → "50.000 đ"."""
    return f"{thousands(amount)} đ"
