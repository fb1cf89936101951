"""English amounts for chart labels."""
from __future__ import annotations

from .model import Point

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_PREFIX = {"CNY": "RMB ", "USD": "US$", "HKD": "HK$", "count": "", "%": "", "times": ""}
_SUFFIX = {"%": "%", "times": "×"}
MINUS = "\u2212"


def _fmt(x: float, decimals: int = 3) -> str:
    s = f"{abs(round(x, decimals)):,.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _scale_of(magnitude: float, unit: str) -> tuple[float, str]:
    if unit in ("%", "times"):
        return 1.0, ""
    for factor, word in _SCALES:
        if magnitude >= factor:
            return factor, word
    return 1.0, ""


def english_amount(value: float, unit: str) -> str:
    """(286000000, 'CNY') -> 'RMB 286 million', (14.3e9, 'USD') -> 'US$14.3 billion',
    (2.19, 'HKD') -> 'HK$2.19', (60, '%') -> '60%', (5, 'times') -> '5×', (1.279e6, 'count') -> '1.279 million'."""
    factor, word = _scale_of(abs(value), unit)
    sign = MINUS if round(value / factor, 3) < 0 else ""
    return f"{sign}{_PREFIX[unit]}{_fmt(value / factor)}{' ' + word if word else ''}{_SUFFIX.get(unit, '')}"


def english_range(value: float, high: float | None, unit: str) -> str:
    """'RMB 286–382 million', '−60–70%'; two full amounts when signs or scales differ."""
    if high is None:
        return english_amount(value, unit)
    fa, wa = _scale_of(abs(value), unit)
    _, wb = _scale_of(abs(high), unit)
    if wa == wb and (value < 0) == (high < 0) and not (value < 0 and unit in ("%", "times")):
        sign = MINUS if value < 0 else ""
        return (f"{sign}{_PREFIX[unit]}{_fmt(value / fa)}–{_fmt(high / fa)}"
                f"{' ' + wa if wa else ''}{_SUFFIX.get(unit, '')}")
    return f"{english_amount(value, unit)} to {english_amount(high, unit)}"


_QUALIFIERS = (("超过", "over"), ("至少", "at least"), ("至多", "up to"), ("最高", "up to"), ("接近", "nearly"),
               ("将近", "nearly"), ("左右", "about"), ("约", "about"), ("近", "nearly"), ("超", "over"))


def hedge(reading: str) -> str:
    """The English for a reading's hedge word: '超300%' -> 'over', '四成左右' -> 'about', '84%' -> ''."""
    for zh, en in _QUALIFIERS:
        if zh in reading:
            return en
    return ""


def english_reading(point: Point, unit: str) -> str:
    """The point's value in English with the reading's hedge: '超300%' -> 'over 300%'."""
    amount = english_range(point.value, point.value_high, unit)
    word = hedge(point.reading)
    return f"{word} {amount}" if word else amount
