"""Metadata with evidence: title, outlet, people and date, read from what a scrape says about itself.

Candidates come from the reader (front matter, `<meta>` fields, htmldate, the first level-1 heading),
from lines that are only metadata (bylines such as 作者｜…, 文/…, 编辑：…, 记者 …, 来源：…, a hosting
line with its date, a "…原创" studio line) and from datelines at the head of the text (财联社7月23日讯
(编辑俞琪)). Each keeps the field or line it was read from. `choose` takes, per field, the candidate
from the most trustworthy source, and a year-less dateline takes its year from the page's own date
(an original is never later than its repost). A side file overrides all of it (scripts/build.py).

    >>> [(c.field, c.value) for c in meta_line("作者｜张三 编辑｜李四、王五", 3)]
    [('authors', '张三'), ('editors', '李四、王五')]
    >>> [(c.field, c.value) for c in dateline("新华社北京7月23日电（记者 张三）昨天……", 9)]
    [('outlet', '新华社'), ('dateline', '07-23'), ('authors', '张三')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .readers import Candidate, normalise_date

# ---------------------------------------------------------------- metadata lines (named data)

# label (as written, spaces between its characters allowed) -> field
META_LABELS = {
    "作者": "authors", "文": "authors", "撰文": "authors", "撰稿": "authors", "记者": "authors",
    "本报记者": "authors", "采写": "authors", "采访": "authors", "口述": "authors",
    "编辑": "editors", "编": "editors", "责任编辑": "editors", "责编": "editors", "编审": "editors", "主编": "chief_editor",
    "编译": "translators", "翻译": "translators", "译者": "translators",
    "校对": "proofreaders", "审校": "proofreaders", "审核": "reviewers", "出品": "outlet", "策划": "producer",
    "来源": "outlet", "稿源": "outlet", "出处": "outlet", "转自": "outlet",
    "发布时间": "published", "发布日期": "published", "发表时间": "published", "时间": "published",
    "日期": "published", "发表于": "published", "发布于": "published", "更新时间": "updated",
    "修改于": "updated", "更新于": "updated",
    "原标题": "original_title", "原文标题": "original_title", "标题": "title",
}
PEOPLE_FIELDS = ("authors", "editors", "chief_editor", "translators", "proofreaders", "reviewers", "producer")
NAME = r"[\u4e00-\u9fff·A-Za-z][\u4e00-\u9fff·A-Za-z .]{0,19}"
META_VALUE_MAX = {"outlet": 24, "original_title": 100, "title": 100}   # longer values are sentences, not names
TITLE_FIELDS = ("title", "original_title")                # a title may hold ？ or ！; other values may not
PEOPLE_VALUE_MAX = 40
_SEP = r"\s*(?:[:：｜|/丨]|\s)\s*"
_LABEL = "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(META_LABELS, key=len, reverse=True))
_ITEM = re.compile(rf"(?P<label>{_LABEL}){_SEP}(?P<value>.*?)(?=\s+(?:{_LABEL}){_SEP}|\s*[|｜丨]\s*|$)")
_DATE_TIME = re.compile(r"^\s*(?:(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_MONTH = r"(?P<mon{n}>" + "|".join(rf"{m[:3]}(?:{m[3:]})?" for m in MONTHS) + r")\.?"
# A line that is only a date in English (a site template's "24. December 2025", "Dec 24, 2025").
_ENGLISH_DATE = re.compile(rf"^(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+{_MONTH.format(n=1)},?\s+(?P<y1>(?:19|20)\d{{2}})"
                           rf"|{_MONTH.format(n=2)}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d{{2}}))$", re.I)
_COUNTER = re.compile(r"^\s*(?:点击|阅读|浏览|点击次数|阅读量|浏览量|评论)\s*(?:[:：]\s*)?\d+\s*(?:次)?\s*")
_STUDIO_ORIGINAL = re.compile(r"^(?P<outlet>[^\s，。：:]{2,30}?)\s*原创$")
_ORIGINAL = re.compile(r"^(?:原创|Original)\s*[：:|｜]?\s*(?P<names>[^，。！？]{1,60}?)\s*"
                       r"(?P<date>(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?)?"
                       r"(?:\s*发表于\S{0,8})?$", re.I)
# A whole line in one pair of brackets: a byline set off as a note, (责编：甲、乙) or 【责任编辑：丙】.
_BRACKETED = re.compile(r"[(（\[【]\s*([^()（）\[\]【】]+?)\s*[)）\]】]")
_BARE_REPORTER = re.compile(rf"^[（(]?(?:本报|本刊)?(?:实习)?记者\s+(?P<names>{NAME}(?:[\s、,，]+{NAME}){{0,4}})[）)]?$")


_NAME_NOTE = re.compile(r"\s*[（(][^（）()]{1,8}[）)]")
# A reporter's line "names 发自 place" (张三 李四 发自 北京), with the outlet's account run on after it.
_DISPATCH = re.compile(r"^(?:(?:本报|本刊)?(?:特派|实习)?记者\s*)?(?P<names>[\u4e00-\u9fff·]{2,4}(?:[\s、]+[\u4e00-\u9fff·]{2,4}){0,4})"
                       r"\s+发自\s*[^，。！？\s]{1,20}(?:\s*[|｜]?\s*[^，。！？]{0,30})?$")


def _unspaced(label: str) -> str:
    return re.sub(r"\s+", "", label)


def people_value(value: str) -> str:
    """Names as one 、-separated list; a name typeset with spaces between its characters is one name.

    A note in brackets after a name (实习, 特约, a place) says what the person is, not who:

    >>> people_value("卢晓、石飞月"), people_value("有 叔"), people_value("张三 李四"), people_value("Demi Xia")
    ('卢晓、石飞月', '有叔', '张三、李四', 'Demi Xia')
    >>> people_value("沁沧（实习）"), people_value("王五(特约) 赵六")
    ('沁沧', '王五、赵六')
    """
    value = _NAME_NOTE.sub(" ", value)
    names = [x for x in re.split(r"\s*[、,，/／]\s*", value.strip()) if x]
    out = []
    for name in names:
        parts = name.split()
        if all(len(p) == 1 for p in parts):
            out.append("".join(parts))
        elif all(re.fullmatch(r"[A-Za-z][A-Za-z.'-]*", p) for p in parts):
            out.append(" ".join(parts))          # a name in Latin letters: "Demi Xia" is one person
        else:
            out.extend(parts)
    return "、".join(out)


def meta_line(view: str, line: int) -> list[Candidate]:
    """Candidates when the whole line is metadata (label: value items, dates, counters); else [].

    >>> [(c.field, c.value) for c in meta_line("发布日期:2024-01-20 07:48 点击次数:134", 4)]
    [('published', '2024-01-20')]
    >>> meta_line("作者认为，大模型的竞争才刚刚开始。", 5)
    []
    >>> [(c.field, c.value) for c in meta_line("原创 张三 某某科技 2025年09月23日 08:55", 2)]
    [('outlet', '某某科技'), ('authors', '张三'), ('published', '2025-09-23')]
    >>> [(c.field, c.value) for c in meta_line("(责编：唐甲、王乙)", 9)], meta_line("【中东部局地降温超14℃】", 3)
    ([('editors', '唐甲、王乙')], [])
    >>> [(c.field, c.value) for c in meta_line("甲乙 丙丁 发自 某某寺某某社 | 公众号 Abc", 1)], meta_line("他发自内心地笑了。", 2)
    ([('authors', '甲乙、丙丁')], [])
    """
    text = view.strip()
    out: list[Candidate] = []
    m = _ENGLISH_DATE.match(text)
    if m:
        n = "1" if m.group("y1") else "2"
        month = next(i for i, name in enumerate(MONTHS, 1) if name.startswith(m.group(f"mon{n}").lower()[:3]))
        day = int(m.group(f"d{n}"))
        return [Candidate("published", f"{int(m.group(f'y{n}')):04d}-{month:02d}-{day:02d}", "hosting line",
                          text, line)] if 1 <= day <= 31 else []
    m = _BRACKETED.fullmatch(text)
    if m and (_DISPATCH.match(m.group(1)) or not _BARE_REPORTER.match(text)):   # (责编：甲、乙) is 责编：甲、乙 in brackets
        return meta_line(m.group(1), line)
    m = _DISPATCH.match(text) or _BARE_REPORTER.match(text)
    if m:
        return [Candidate("authors", people_value(m.group("names")), "byline", text, line)]
    m = _STUDIO_ORIGINAL.match(text)
    if m and not re.search(r"[，。！？]", text):
        return [Candidate("outlet", m.group("outlet"), "original-content line", text, line)]
    m = _ORIGINAL.match(text)
    if m:
        return original_line(m, text, line)
    pos, found = 0, False
    while pos < len(text):
        rest = text[pos:]
        for pattern in (_DATE_TIME, _COUNTER):
            mm = pattern.match(rest)
            if mm and mm.end():
                date = normalise_date(mm.group(0)) if pattern is _DATE_TIME else ""
                if date:
                    out.append(Candidate("published", date, "hosting line", text, line))
                pos += mm.end()
                found = found or bool(date)
                break
        else:
            mm = _ITEM.match(rest)
            if not mm:
                sep = re.match(r"\s*[|｜丨·]\s*|\s+", rest)
                if sep and sep.end():
                    pos += sep.end()
                    continue
                return []
            field = META_LABELS[_unspaced(mm.group("label"))]
            value = mm.group("value").strip(" ：:|｜")
            if not value or len(value) > META_VALUE_MAX.get(field, PEOPLE_VALUE_MAX) or \
                    re.search(r"。" if field in TITLE_FIELDS else r"[。！？]", value):
                return []
            if field in ("published", "updated"):
                date = normalise_date(value)
                if not date:
                    return []
                value = date
            elif field in PEOPLE_FIELDS:
                value = people_value(value)
            elif _unspaced(mm.group("label")) == "出品":      # 深网·腾讯新闻小满工作室: the column, then its studio
                value = re.split(r"\s*[·.．]\s*", value)[0]
            source = "hosting line" if field in ("published", "updated") else "title line" if field == "title" else "byline"
            out.append(Candidate(field, value, source, text, line))
            found = True
            pos += mm.end()
    return out if found else []


def original_line(m: re.Match, text: str, line: int) -> list[Candidate]:
    """A WeChat-style "原创 author account date" line: with two names the first is the author and the
    last the account (the outlet); with one, it is the account."""
    names = m.group("names").split()
    if not names or len(names) > 4:
        return []
    out = [Candidate("outlet", names[-1], "original-content line", text, line)]
    if len(names) > 1:
        out.append(Candidate("authors", names[0], "original-content line", text, line))
    if m.group("date"):
        out.append(Candidate("published", normalise_date(m.group("date")), "original-content line", text, line))
    return out


# ---------------------------------------------------------------- datelines

OUTLET_SUFFIXES = ("社", "网", "报", "台", "刊", "财经", "新闻", "日报", "时报", "晚报", "周刊", "杂志",
                   "传媒", "客户端", "资讯", "观察")
_SUFFIX = "|".join(sorted(OUTLET_SUFFIXES, key=len, reverse=True))
_DATELINE = re.compile(
    rf"^[【\[]?(?:(?P<outlet>[\u4e00-\u9fffA-Za-z0-9·]{{0,10}}?(?:{_SUFFIX}))(?P<place>[\u4e00-\u9fff]{{2,4}})?"
    rf"|(?P<bare>[\u4e00-\u9fffA-Za-z0-9·]{{2,8}}))\s*"
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:电|讯|消息)[】\]]?"
    r"(?:\s*[（(](?P<role>实习记者|记者|编辑|作者|通讯员)\s*(?P<names>[^）)]{1,30})[）)])?")


def dateline(view: str, line: int) -> list[Candidate]:
    """Outlet, date (month-day, or full) and people from a dateline at the start of a paragraph; digits
    may stand apart from 年月日, as sites that space Latin and digits from Chinese print them.

    >>> [(c.field, c.value) for c in dateline("IT之家 5 月 21 日消息，某公司昨晚推出新模型", 1)]
    [('outlet', 'IT之家'), ('dateline', '05-21')]
    """
    m = _DATELINE.match(view.strip())
    if not m:
        return []
    evidence = m.group(0)
    out = [Candidate("outlet", m.group("outlet") or m.group("bare"), "dateline", evidence, line)]
    mo, d = int(m.group("m")), int(m.group("d"))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return []
    if m.group("y"):
        out.append(Candidate("published", f"{int(m.group('y')):04d}-{mo:02d}-{d:02d}", "dateline", evidence, line))
    else:
        out.append(Candidate("dateline", f"{mo:02d}-{d:02d}", "dateline", evidence, line))
    if m.group("role"):
        field = "editors" if m.group("role") == "编辑" else "authors"
        names = "、".join(x for x in re.split(r"[\s、,，]+", m.group("names").strip()) if x)
        out.append(Candidate(field, names, "dateline", evidence, line))
    return out


# Attributions at the head of a text: 【新智元导读】, 智能涌现深夜获悉 ("X learned that"). Words that
# are no outlet's name (记者获悉, 笔者了解到) are left out.
_LEAD = re.compile(r"^【(?P<a>[^】\s]{2,10}?)导读】|^(?P<b>[\u4e00-\u9fffA-Za-z0-9]{2,8}?)(?:深夜|独家|近日|日前|今日|今天|昨日)?"
                   r"(?:获悉|了解到|获得消息)")
NOT_OUTLETS = frozenset({"记者", "本报", "本刊", "笔者", "我们", "小编", "外界", "市场", "业内", "媒体", "据悉", "有消息"})
# Credit lines: 本文为数智前线（szqx1991）原创内容, 本文为 InfoQ 翻译整理
_CREDIT = re.compile(r"本文(?:为|系|由)\s*(?P<outlet>[^\s，。（(：:]{2,12}?)\s*(?:[（(][^）)]{0,30}[）)])?\s*"
                     r"(?:原创|翻译整理|编译|整理|独家|首发|授权发布)")


def lead_attribution(view: str, line: int) -> list[Candidate]:
    """The outlet named at the head of the first paragraphs.

    >>> [(c.field, c.value) for c in lead_attribution("智能涌现深夜获悉，8月31日凌晨……", 7)]
    [('outlet', '智能涌现')]
    >>> lead_attribution("记者获悉，8月31日……", 7)
    []
    """
    m = _LEAD.match(view.strip())
    name = m and (m.group("a") or m.group("b"))
    if not name or name in NOT_OUTLETS:
        return []
    return [Candidate("outlet", name, "lead attribution", m.group(0), line)]


def credit_line(view: str, line: int) -> list[Candidate]:
    """The outlet a copyright or disclaimer line credits.

    >>> [c.value for c in credit_line("声明：本文为 InfoQ 翻译整理，不代表平台观点。", 143)]
    ['InfoQ']
    """
    m = _CREDIT.search(view)
    return [Candidate("outlet", m.group("outlet"), "credit line", m.group(0), line)] if m else []


# ---------------------------------------------------------------- choosing

# Per field, sources from most to least trusted. A source not listed ranks last.
SOURCE_ORDER = {
    "title": ("front matter", "page metadata", "title line", "heading", "headline"),
    "outlet": ("front matter", "page markup", "page metadata", "dateline", "cleaning rule", "byline", "original-content line",
               "lead attribution", "credit line"),
    "published": ("front matter", "page metadata", "htmldate", "dateline", "cleaning rule", "original-content line",
                  "hosting line"),
    # a byline in the text names the writer; a clipper's author field often holds the account's display name
    "authors": ("byline", "dateline", "cleaning rule", "original-content line", "front matter", "page metadata"),
}
DEFAULT_ORDER = ("front matter", "page metadata", "cleaning rule", "dateline", "byline", "original-content line",
                 "hosting line", "htmldate", "heading")


@dataclass(frozen=True)
class Evidence:
    """A metadata value inferred from the scrape: the field, the value, where it came from
    (front matter, byline, heading …), the text that shows it and its line.
    """
    field: str
    value: str
    source: str
    evidence: str
    line: int = 0
    note: str = ""

    def describe(self) -> str:
        """The evidence as the provenance box shows it: source — line N: text (note)."""
        where = f"line {self.line}: " if self.line else ""
        note = f" ({self.note})" if self.note else ""
        return f"{self.source} — {where}{self.evidence}{note}"


def _rank(field: str, source: str) -> int:
    order = SOURCE_ORDER.get(field, DEFAULT_ORDER)
    return order.index(source) if source in order else len(order)


def year_for(month_day: str, reference: str) -> str:
    """The latest date with this month and day that is not after the reference date.

    >>> year_for("07-23", "2024-01-20"), year_for("07-23", "2023-07-28"), year_for("07-23", "2023")
    ('2023-07-23', '2023-07-23', '')
    """
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", reference):
        return ""
    year = int(reference[:4])
    return f"{year if month_day <= reference[5:] else year - 1:04d}-{month_day}"


_TOPIC = re.compile(r"#[^#\s]{1,40}#")


def clean_title(title: str) -> str:
    """A title without Weibo-style topic tags (#话题#), which name a feed, not the article.

    >>> clean_title("#大模型之战#智能体的门槛又被打下来了"), clean_title("#只有标签#")
    ('智能体的门槛又被打下来了', '#只有标签#')
    """
    bare = _TOPIC.sub("", title).strip()
    return bare or title


def choose(candidates: list[Candidate]) -> dict[str, Evidence]:
    """One value per field: the candidate from the best-ranked source (the first of equals).

    A year-less dateline becomes a publication date when the page states a full date to take the year
    from; it then ranks as a dateline.
    """
    chosen: dict[str, Evidence] = {}
    ranked = sorted(enumerate(candidates), key=lambda ic: (_rank(ic[1].field, ic[1].source), ic[0]))
    for _, c in ranked:
        if c.field not in chosen and c.value:
            value = clean_title(c.value) if c.field == "title" else c.value
            chosen[c.field] = Evidence(c.field, value, c.source, c.evidence, c.line)
    if "dateline" in chosen:
        full = [c for c in candidates if c.field in ("published", "site_date", "forum_date", "clipped")
                and c.source != "dateline" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.value)]
        if full:
            ref = min(full, key=lambda c: c.value)
            date = year_for(chosen["dateline"].value, ref.value)
            current = chosen.get("published")
            if date and (current is None or _rank("published", "dateline") < _rank("published", current.source)):
                d = chosen["dateline"]
                chosen["published"] = Evidence("published", date, "dateline", d.evidence, d.line,
                                               f"year from {ref.value}, the {ref.source}'s date: an original is "
                                               "never later than its copy")
    return chosen
