"""Body or furniture? Each block is judged by what it is, not by which site it came from.

In the manner of jusText, every block first gets a class from its own features, then the blocks
that cannot decide alone take their verdict from their position and their neighbours:

1. *Overrides.* The phrase rules of data/cleaning.yml, when one matches (explicit, per-phrase).
2. *Metadata lines* — bylines, hosting lines with a date, source lines, "…原创" — are removed and
   become metadata candidates (scripts/metadata.py). They do not vote in step 4. A line is read
   without the toolbar items set into it ([日期：…] 来源：… [字体：大 中 小], 我要评论(0)), so a date
   and source line stays metadata when the page's buttons were copied with it.
3. *Features* (all below as named data): boilerplate phrases (copyright, disclaimer, registration
   numbers, a teaser ending in 【详细】), furniture vocabulary (share, like, follow, subscribe, log in,
   comment, QR code …) covering much of the block, link or URL density, a menu, breadcrumb, run-together
   navigation bar or toolbar (字号 大 中 小, 打印, 关闭), a bare counter, a form label, repetition inside the page (also the same phrase twice
   in a row, as a copied gallery gives a picture's alt text and caption), an image caption whose image
   is gone (▲ …, …某某 摄), a section headed as furniture (相关阅读, 元数据 …), the titles listed under a
   相关阅读： line, a browser window's title (the headline again, with the site's name). Any of these makes a
   block *bad*; a bare counter, a label ending in a colon or a line without Chinese only leans that
   way and is left to its context. A block long enough,
   punctuated like prose and carrying Chinese function characters is *good*; a shorter sentence is
   *near-good*; the rest (headings, captions, fragments) is *short*.
4. *Context.* The body runs from the first good block to the last (all of the page when no block is
   good), extended over the short sentences that lead into it and out of it with no furniture between
   (a sentence may name a furniture word in passing: 文心一言APP上架了！). Inside it, short and near-good
   blocks are kept unless both their nearest decided neighbours are bad — a headline right above its
   date and source line stays whatever surrounds it. Before the body, a short block is kept only if it
   could be a title or subtitle (enough Chinese, no furniture word) — a headline over its date line
   is also the title's evidence; after it, only a block that ends a
   sentence and does not stand between furniture (a list title cut off with "…" ends none). Furniture
   vocabulary counts for more in those two runs.

`classify` returns one `Verdict` per block with the reason shown by `clean ID --report`.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import metadata
from .readers import Block, Candidate

# ---------------------------------------------------------------- features and thresholds (named data)

SENTENCE_END = tuple("。！？!?…")
CLOSERS = "”’」』）)》]】\"'"
CLAUSE_MARKS = frozenset("，。、；：！？,;!?…")
FUNCTION_CHARS = frozenset("的了是在和也有就都而及与对但为这那被将从以等中之其所已并或还把让向于因此即又则却更很不会能要")

PARTICLES = frozenset("的了是在和与及把被从吗呢")   # menu items (nouns, verbs of navigation) do not carry these
GOOD_MIN_CHARS = 40            # a good block is at least this long (characters, spaces not counted) …
GOOD_MIN_MARKS_PER_100 = 2.0   # … with this many clause marks per 100 characters …
GOOD_MIN_FUNCTION_SHARE = 0.05 # … and this share of its Han characters function characters
NEARGOOD_MIN_CHARS = 12        # a shorter block ending a sentence, with function characters, is near-good
TITLE_MIN_HAN = 5              # a title or subtitle before the body has at least this many Han characters
LINK_MAX_SHARE = 0.5           # more of a block's text than this inside links: a link list
GOOD_MAX_LINK_SHARE = 0.25
VOCAB_MAX_SHARE = 0.5          # furniture vocabulary covering more of the block than this: furniture
VOCAB_MAX_SHARE_EDGE = 0.25    # … in the runs before and after the body
VOCAB_IN_SENTENCE_MAX_SHARE = VOCAB_MAX_SHARE_EDGE  # a sentence may name a furniture word in passing (文心一言APP上架了！)
MENU_MIN_ITEMS = 3             # a menu: at least this many short items between separators
MENU_ITEM_MAX = 10             # characters in one menu item
REPEAT_MAX_CHARS = 30          # a block this short that occurs twice in the page is furniture
SITE_NAME_MAX_CHARS = 16       # a block this short that recurs inside a furniture block is the site's name
NO_HAN_MAX_CHARS = 60          # a block with no Chinese and at most this long leans to furniture
URL_MIN_HAN = 6                # a block with web addresses and fewer Han characters than this, besides, is an address

# Generic furniture vocabulary of Chinese web pages: sharing, accounts, comments, navigation,
# subscriptions, QR codes, app prompts, copyright. Matched on the Simplified view, longest first.
FURNITURE_WORDS = (
    "分享到", "分享", "转发", "点赞", "取消赞", "在看", "收藏", "赞赏", "打赏", "喜欢此内容", "轻点两下",
    "微信扫一扫", "扫一扫", "扫码", "扫描二维码", "二维码", "长按", "识别", "关注", "订阅", "公众号",
    "朋友圈", "微博", "微信", "QQ", "复制链接", "继续滑动", "看下一个", "预览时标签不可点", "小程序",
    "阅读原文", "阅读全文", "阅读量", "阅读", "留言", "评论", "回复", "回帖", "发表", "登录", "注册",
    "密码", "验证码", "找回", "下载", "客户端", "打开APP", "APP", "上一篇", "下一篇", "返回顶部", "返回列表",
    "返回首页", "首页", "相关阅读", "推荐阅读", "延伸阅读", "相关文章", "热门推荐", "猜你喜欢", "更多",
    "精彩内容", "查看", "点击", "版权所有", "版权声明", "免责声明", "转载", "侵权", "举报", "纠错",
    "广告", "投稿", "联系我们", "商务合作", "搜索", "热搜", "加入", "自媒体", "入驻", "提交", "输入",
    "频繁", "暂无", "收起", "展开", "全文", "点此", "跳转", "网页链接", "手机版", "客服",
    # the page's display controls: night mode, theme colour, follow the system setting
    "日夜间", "夜间模式", "日间模式", "深色模式", "浅色模式", "护眼模式", "主题色", "随系统",
)
# Phrases that make a block furniture whatever its length: copyright, disclaimers, registrations.
BOILERPLATE = (
    ("copyright", re.compile(r"版权(?:所有|归.{0,12}所有)|copyright|©|\(c\)\s*\d{4}", re.I)),
    ("disclaimer", re.compile(r"仅代表.{0,8}(?:个人|本人|作者)|不代表.{0,12}(?:立场|观点)|如有侵权|"
                              r"未经.{0,10}(?:授权|许可).{0,10}(?:转载|使用|复制)|转载请注明|免责声明|"
                              r"^广告声明\s*[:：]|(?:结果|内容)仅供参考")),
    # the site thanking a reader for the tip the story came from (感谢某某网友 X 的线索投递！)
    ("thanks for a reader's tip", re.compile(r"^感谢.{1,30}?的(?:线索投递|新闻线索|线索|投递|爆料)[！!。]?$")),
    ("registration number", re.compile(r"ICP[备证]|公网安备|网安备\s*\d|增值电信业务经营许可证")),
    ("promotion", re.compile(r"(?:查看|阅读|获取|了解)更多.{0,12}(?:文章|内容|资讯|精彩)|微信搜索|"
                             r"点击.{0,6}(?:关注|阅读原文|蓝字|下方|上方)|长按.{0,8}(?:识别|二维码|关注)|"
                             r"扫[码描].{0,8}(?:关注|二维码|下载)|欢迎.{0,4}(?:关注|转发|分享|留言)")),
    ("software footer", re.compile(r"Powered by|Processed in [\d.]+ second", re.I)),
    # a related article given by its title after a label (相关阅读：某某清单), and a compiler's list of
    # the outlets an article was put together from (某某综合自：甲报、乙网)
    ("related-article link", re.compile(r"^(?:相关|延伸|推荐|扩展)(?:阅读|文章|新闻|报道|链接)\s*[:：]\s*\S")),
    ("compiled-from credit", re.compile(r"^[^，。！？\s]{0,12}(?:综合|整理|摘编)自\s*[:：]")),
    # a teaser that ends in a link to the full story on another page (…“一肩挑”。【详细】, 全文>>)
    ("teaser linking elsewhere", re.compile(r"(?:[【\[〔](?:详细|详情|全文|更多|阅读全文)[】\]〕]|(?:详细|详情|全文|更多)\s*>>)\s*$")),
)
# An image caption that is a photo credit (王小川。来源：视觉中国), a file-photo mark (侯为贵。资料图) or a
# chart's maker (利润变化及预测 某某制表); the image itself is not kept.
PHOTO_CREDIT = re.compile(r"(?:^|[。．.\s）)])(?:图片|图|题图|配图|摄影|图源)?来源[:：]\s*[^，。\s]{1,15}$|^(?:图|摄影)\s*[|｜/:：]\s*\S{1,15}$"
                          r"|(?:^|[。．.\s）)])资料图(?:片)?$|[^\s，。！？]{2}(?:制表|制图|供图)$")
PHOTO_CREDIT_MAX_CHARS = 40
# An image caption without its image: a line led by a caption arrow (▲ 官方测试结果), or a caption signed
# by its photographer (…工作人员在打理蔬菜。记者 王甲 李乙摄, 图为市民骑行在寒风中。 张三 摄).
CAPTION_MARK = re.compile(r"^[▲△▼▽↑↓☝⬆]\s*\S")
CAPTION_MARK_MAX_CHARS = 60
PHOTO_BY = re.compile(r"(?:^|[。！？；\s])(?:(?:本报|本刊)?(?:实习)?(?:记者|通讯员)\s*)?[\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4}){0,3}\s*摄$")
PHOTO_BY_MAX_CHARS = 120
# The same phrase twice in a row (专访某某：标题专访某某：标题): a picture's alt text pasted with its caption,
# as a copied gallery or list gives it. Bounded: only blocks this long are searched, phrases this long.
DOUBLED = re.compile(r"([^\s。！？]{6,30})\s?\1")
DOUBLED_MAX_CHARS = 400
TRUNCATION = ("...", "…", "……")
TRUNCATED_MIN_CHARS = 10       # a block ending in an ellipsis whose text (this long at least) recurs in the page
MENU_SEPARATORS = re.compile(r"\s*[|｜丨_›»>]\s*")
# Headings of sections that belong to the page or the clipping tool, not to the article.
FURNITURE_SECTIONS = re.compile(r"^(?:AI\s*(?:摘要|总结|概要|导读)|元数据|meta\s*data|相关(?:阅读|文章|推荐|链接)|推荐阅读|"
                                r"延伸阅读|文章精选|往期(?:推荐|回顾|精选)|热门(?:文章|推荐|评论)|猜你喜欢|精彩推荐|"
                                r"(?:全部|最新)?评论|留言)$", re.I)
# A label over a list of links to other articles (相关阅读：), standing as a line of its own rather than
# as a heading: the titles listed under it are furniture until the text turns back to prose.
LIST_LABEL = re.compile(r"^(?:相关(?:阅读|文章|推荐|链接|新闻|报道)|推荐阅读|延伸阅读|扩展阅读|热门推荐|猜你喜欢|"
                        r"往期(?:推荐|回顾|精选)|文章精选|精彩推荐)\s*[:：]?$")
# A browser window's title copied with the page: the headline, a separator and the site's name
# (消息称……上市 - IT之家), when the headline also stands on a line of its own.
TITLE_BAR_TAIL = re.compile(r"\s*(?:\s[-–—|｜]|[_｜|])\s*([^\s，。！？：:]{1,16})$")
# A page's toolbar copied as a line: font size, print, close, bookmark, report an error (字号：大 中 小,
# 【打印】【关闭】, 打印本页 关闭窗口), its items alone, bracketed or separated by bars.
_TOOL = r"(?:字号|字体|特大|超大|默认|大|中|小|打印(?:本页|此页|文章|正文)?|关闭(?:窗口|本页)?|收藏(?:本页)?|我要纠错|纠错|返回顶部|放大|缩小)"
TOOLBAR = re.compile(rf"(?:{_TOOL})+")            # matched on the line without brackets, bars and spaces
TOOLBAR_PUNCT = re.compile(r"[\s【】\[\]〖〗()（）|｜/:：]+")
TOOLBAR_KEY = re.compile(r"字号|字体|打印|关闭|纠错")
TOOLBAR_MAX_CHARS = 40


# Toolbar items inside a longer line: [日期：…] 来源：… [字体：大 中 小], …点击：48 【字体：大 中 小】 我要评论(0).
# Items in brackets and font-size selectors are taken out wherever they stand; bare words (打印, 关闭窗口)
# only where no Chinese touches the run of items they belong to (打印机, 关闭工厂 are words of a sentence).
_SIZE_ITEM = (r"[【\[〖(（]?\s*(?:字号|字体)\s*[:：]?\s*[【\[〖(（]?\s*(?:(?:特大|超大|默认|大|中|小|T)\s*[|｜]?\s*){2,}"
              r"[】\]〗)）]?(?:\s*[】\]〗)）])?"
              r"|[【\[〖]\s*(?:大\s*中\s*小|小\s*中\s*大)\s*[】\]〗]"
              r"|[【\[〖]\s*(?:打印(?:本页|此页|文章|正文|此文)?|我要打印|关闭(?:窗口|本页)?|返回顶部|收藏(?:本页)?|"
              r"我要纠错|纠错|评论|我要评论)\s*[】\]〗]")
_BARE_ITEM = r"打印(?:本页|此页)?|关闭(?:窗口|本页)?|我要评论\s*[(（]\s*\d*\s*[)）]"
TOOLBAR_ITEM = re.compile(rf"(?:{_SIZE_ITEM}|(?<![\u4e00-\u9fff])(?:{_BARE_ITEM}))(?:\s*(?:{_SIZE_ITEM}|{_BARE_ITEM}))*"
                          r"(?:(?<=[】\]〗)）大中小T])|(?![\u4e00-\u9fff]))")
# A labelled field in brackets on such a line ([日期：2015-01-17]): the field without its brackets.
BRACKETED_FIELD = re.compile(r"[【\[]\s*((?:日期|时间|发布时间|来源|作者|编辑)\s*[:：][^】\]]{1,40})[】\]]")


def without_toolbar(view: str) -> str:
    """A line without the toolbar items set into it, and its bracketed fields unbracketed: what is
    left of a date and source line once the page's buttons are gone.

    >>> without_toolbar("[日期：2015-01-17] \t来源：某某社区  作者：张三 \t[字体：大 中 小]")
    '日期：2015-01-17 来源：某某社区 作者：张三'
    >>> without_toolbar("2012年03月10日 来源：互联网 作者：佚名 点击：48 【字体：大 中 小】 我要评论(0)")
    '2012年03月10日 来源：互联网 作者：佚名 点击：48'
    >>> without_toolbar("打印机关闭了，大中小企业都受影响。")
    '打印机关闭了，大中小企业都受影响。'
    """
    if not re.search(r"字号|字体|打印|关闭|纠错|评论|收藏|返回顶部|大\s*中\s*小", view):
        return view
    out = BRACKETED_FIELD.sub(r"\1", TOOLBAR_ITEM.sub(" ", view))
    return " ".join(out.split())


def is_toolbar(view: str) -> bool:
    """Only toolbar items (字号：大 中 小, 【打印】【关闭】), and one of them a tool, not a size.

    >>> is_toolbar("【字号：大 中 小】【打印】【关闭】"), is_toolbar("打印本页 关闭窗口"), is_toolbar("关闭工厂"), is_toolbar("大 中 小")
    (True, True, False, False)
    """
    return len(view) <= TOOLBAR_MAX_CHARS and bool(TOOLBAR_KEY.search(view)) \
        and bool(TOOLBAR.fullmatch(TOOLBAR_PUNCT.sub("", view)))
# A navigation bar copied as one line, its channel names run together (网站首页时政国际财经…): it starts
# with the home link and carries no punctuation (is_menu looks for the punctuation first).
NAV_BAR = re.compile(r"^(?:网站|返回)?首页\s*\S")
BREADCRUMB = re.compile(r"(?:\S\s*[>›»]\s*){2,}\S|当前位置|你的位置|您的位置")
COUNTER = re.compile(r"^[\d\s.,:：万亿千百+%|｜/·\-—]*$|^(?:Rank|Lv|No)\.?:?\s*\d+", re.I)
FORM_LABEL = re.compile(r"^\*?[^，。！？]{1,12}[:：]$")
# A bare domain is tried only where a run of domain characters starts: tried inside "1.1.1.1…" at every
# dot, the backtracking made a long run quadratic (same matches: a later start finds nothing an earlier one does not).
URL = re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff]+|(?<![A-Za-z0-9.-])[A-Za-z0-9.-]+\.(?:com|cn|net|org|io)(?:/[^\s\u4e00-\u9fff]*)?", re.I)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_MARKS = re.compile("[" + re.escape("".join(sorted(CLAUSE_MARKS))) + "]")
_FUNCTION = re.compile("[" + "".join(sorted(FUNCTION_CHARS)) + "]")
_LATIN = re.compile("[A-Za-z]")
_ALNUM = re.compile(r"[^\W_]")
_FURNITURE = re.compile("|".join(re.escape(w) for w in sorted(FURNITURE_WORDS, key=len, reverse=True)), re.I)


@dataclass(frozen=True)
class Features:
    """What a block looks like, measured: size, Han and punctuation, function words, link and URL
    share, furniture vocabulary and position — the evidence a verdict is drawn from.
    """
    chars: int                 # visible characters, spaces not counted
    han: int
    marks: int                 # clause and sentence marks
    ends_sentence: bool
    function_share: float      # of Han characters
    link_share: float
    url_share: float
    han_besides_urls: int
    vocab_share: float         # of letters and Han characters, covered by furniture words
    vocab: tuple[str, ...]
    boilerplate: str           # name of the boilerplate phrase found, or ""
    menu: bool
    counter: bool
    form_label: bool
    repeats: int               # how often the same text occurs as a block in the page
    photo_credit: bool = False
    symbols_only: bool = False
    caption: str = ""          # an image caption without its image: "arrow" or "photographer", else ""
    doubled: bool = False


def features(block: Block, view: str, repeats: int = 1) -> Features:
    """Measure one block (its Simplified, space-squeezed view)."""
    chars = (len(view) - view.count(" ")) or 1
    han = len(HAN.findall(view))
    marks = len(_MARKS.findall(view))
    words = _FURNITURE.findall(view)
    letters = han + len(_LATIN.findall(view))
    urls = sum(len(m.group(0)) for m in URL.finditer(view)) if ("." in view or "/" in view) else 0
    stripped = view.rstrip(CLOSERS + " ")
    return Features(
        chars=chars, han=han, marks=marks,
        ends_sentence=stripped.endswith(SENTENCE_END),
        function_share=len(_FUNCTION.findall(view)) / han if han else 0.0,
        link_share=min(1.0, block.link_chars / max(1, len(block.text))),
        url_share=urls / max(1, len(view.replace(" ", ""))),
        han_besides_urls=len(HAN.findall(URL.sub("", view))) if urls else han,
        vocab_share=min(1.0, sum(len(w) for w in words) / max(1, letters)),
        vocab=tuple(dict.fromkeys(words)),
        boilerplate=next((name for name, rx in BOILERPLATE if rx.search(view)), ""),
        menu=is_menu(view),
        counter=bool(COUNTER.match(view)),
        form_label=bool(FORM_LABEL.match(view)),
        repeats=repeats,
        photo_credit=chars <= PHOTO_CREDIT_MAX_CHARS and bool(PHOTO_CREDIT.search(view)),
        symbols_only=not han and not _ALNUM.search(view),
        caption=caption_kind(view, chars),
        doubled=chars <= DOUBLED_MAX_CHARS and any(len(set(m.group(1))) >= 3 for m in DOUBLED.finditer(view)),
    )


def caption_kind(view: str, chars: int) -> str:
    """"arrow" or "photographer" when the block is an image caption whose image is not kept, else "".

    >>> caption_kind("▲ OpenCompass 测试", 15), caption_kind("近日，工作人员在打理蔬菜。记者 王甲 李乙摄", 22)
    ('arrow', 'photographer')
    >>> caption_kind("这张照片由他本人拍摄", 10), caption_kind("▲", 1)
    ('', '')
    """
    if chars <= CAPTION_MARK_MAX_CHARS and CAPTION_MARK.match(view):
        return "arrow"
    if chars <= PHOTO_BY_MAX_CHARS and PHOTO_BY.search(view):
        return "photographer"
    return ""


def is_menu(view: str) -> bool:
    """A breadcrumb, or several short items between separators with no sentence punctuation.

    >>> is_menu("首页 > 科技 > 正文"), is_menu("人工智能 猎头职位 更多"), is_menu("大模型，狂热资本走向冷静|2023中国经济半年报")
    (True, True, False)
    >>> is_menu("还记得你当年嘲笑的 Siri 吗"), is_menu("从 “ 暴力美学 ” 到 “ 精密计算 ”"), is_menu("千万赌注 用 1/14 成本对标 GPT-3")
    (False, False, False)
    >>> is_menu("网站首页时政国际财经台湾军事观点领导人事理论"), is_menu("首页推荐的内容，由算法决定。")
    (True, False)
    >>> is_menu("【字号：大 中 小】【打印】【关闭】"), is_menu("打印 关闭"), is_menu("3D打印"), is_menu("中小企业")
    (True, True, False, False)
    """
    if BREADCRUMB.search(view):
        return True
    if re.search(r"[，。！？；“”《》]", view):
        return False
    if NAV_BAR.match(view) or is_toolbar(view):
        return True
    items = [x for x in MENU_SEPARATORS.split(view) if x.strip()]
    if len(items) < MENU_MIN_ITEMS:      # separated by spaces only: words, not prose spaced around Latin
        items = view.split()
        if any(len(x) < 2 or PARTICLES & set(x) for x in items) or _latin_between_han(items):
            return False
    return len(items) >= MENU_MIN_ITEMS and all(len(x) <= MENU_ITEM_MAX for x in items)


def _latin_between_han(items: list[str]) -> bool:
    """中國在開源 AI 的佈局: a Latin word spaced between Chinese ones is prose typography."""
    return any(x.isascii() and HAN.search(items[i - 1]) and HAN.search(items[i + 1])
               for i, x in enumerate(items[1:-1], start=1))


# ---------------------------------------------------------------- first pass: each block alone

METADATA_HEADING_MIN_LEVEL = 4     # a minor heading that is wholly a byline is metadata (###### 张三 发自 北京)


def rule_value(field: str, value: str) -> str:
    """A value a cleaning rule captured: spaces squeezed, and names read as every byline's are.

    >>> rule_value("authors", "张三（实习） 李四"), rule_value("outlet", "某某  日报")
    ('张三、李四', '某某 日报')
    """
    value = " ".join(value.split())
    return metadata.people_value(value) if field in metadata.PEOPLE_FIELDS else value

@dataclass(frozen=True)
class Verdict:
    """A block kept or removed, its class (override, meta, bad, good, neargood, short) and the reason
    `clean --report` prints.
    """
    block: Block
    keep: bool
    cls: str                   # override | meta | bad | good | neargood | short
    reason: str
    candidates: tuple[Candidate, ...] = ()


def own_class(f: Features, block: Block) -> tuple[str, str]:
    """(class, reason) from the block's own features."""
    if f.boilerplate:
        return "bad", f"boilerplate ({f.boilerplate})"
    if f.photo_credit:
        return "bad", "image caption with a photo credit"
    if f.caption:
        return "bad", ("image caption led by an arrow" if f.caption == "arrow" else "image caption signed by its photographer") \
            + " (the image is not kept)"
    if f.doubled:
        return "bad", "the same phrase twice in a row (a picture's alt text with its caption)"
    if f.symbols_only:
        return "bad", "symbols only"
    if block.link_chars and f.link_share > LINK_MAX_SHARE:
        return "bad", f"link list ({f.link_share:.0%} of the text is links)"
    if f.url_share and f.han_besides_urls < URL_MIN_HAN:
        return "bad", "web address"
    if f.vocab_share > VOCAB_MAX_SHARE:
        return "bad", f"furniture words ({'、'.join(f.vocab)})"
    if block.kind != "table" and f.menu:
        return "bad", "menu or breadcrumb"
    if f.repeats > 1 and f.chars <= REPEAT_MAX_CHARS and block.kind != "heading" and not f.ends_sentence:
        return "bad", f"repeated {f.repeats} times in the page"
    prose = f.marks * 100 / f.chars >= GOOD_MIN_MARKS_PER_100 and f.function_share >= GOOD_MIN_FUNCTION_SHARE
    if block.kind != "heading" and f.chars >= GOOD_MIN_CHARS and prose and f.link_share <= GOOD_MAX_LINK_SHARE:
        return "good", "prose"
    if block.kind != "heading" and f.chars >= NEARGOOD_MIN_CHARS and f.ends_sentence and f.function_share > 0:
        return "neargood", "a sentence"
    if f.counter:                  # these lean to furniture; their place decides (a numbered heading "01" stays)
        return "short", "numbers only"
    if f.form_label:
        return "short", "a label ending in a colon"
    if not f.han and f.chars <= NO_HAN_MAX_CHARS:
        return "short", "no Chinese text"
    return "short", "short"


# ---------------------------------------------------------------- second pass: context

def _neighbour(classes: list[str], i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(classes):
        if classes[j] in ("good", "bad", "override"):
            return "bad" if classes[j] == "override" else classes[j]
        j += step
    return "edge"


def _title_like(f: Features) -> bool:
    return f.han >= TITLE_MIN_HAN and not f.vocab and not f.counter and not f.menu and not f.form_label


def _sentence_like(f: Features, view: str = "") -> bool:
    """Ends like a sentence (or introduces what follows with a colon, when it is not a short label)."""
    ends = f.ends_sentence or (view.rstrip().endswith(("：", ":")) and not f.form_label and f.han >= 8)
    return ends and f.han > 0 and f.vocab_share <= VOCAB_IN_SENTENCE_MAX_SHARE and not f.counter


def title_bars(views: list[str]) -> set[int]:
    """Blocks that are another block's text followed by a separator and a short name: a browser
    window's title (headline - site) copied with the page that also shows the headline.

    >>> sorted(title_bars(["某公司发布新模型 - 某某网", "首页", "某公司发布新模型", "正文。"]))
    [0]
    >>> title_bars(["某公司发布新模型 - 某某网", "正文。"]), title_bars(["A - B", "A"])
    (set(), set())
    """
    texts = {v.strip() for v in views if len(HAN.findall(v)) >= TITLE_MIN_HAN}
    out = set()
    for i, v in enumerate(views):
        m = TITLE_BAR_TAIL.search(v.strip())
        if m and v.strip()[:m.start()].strip() in texts:
            out.add(i)
    return out


def list_items(blocks: list[Block], views: list[str], feats: list["Features"]) -> dict[int, str]:
    """Blocks listed under a label line such as 相关阅读：, up to the first block that reads as prose, a
    heading or a sentence: index -> the label."""
    out: dict[int, str] = {}
    for i, (b, v) in enumerate(zip(blocks, views)):
        if b.kind == "heading" or not LIST_LABEL.match(v.strip()):
            continue
        for j in range(i + 1, len(blocks)):
            f = feats[j]
            if blocks[j].kind == "heading" or f.ends_sentence or f.chars >= GOOD_MIN_CHARS * 2:
                break
            out[j] = v.strip()
    return out


RUN_GAP_BEFORE = 1    # lines that are not sentences a run of opening sentences may hold (来感受一下：)
RUN_GAP_AFTER = 0     # … and a run of closing ones: none, for after the body hang lists of titles


def _run_edge(classes: list[str], feats: list["Features"], blocks: list[Block], views: list[str],
              edge: int, step: int) -> int:
    """Extend the body from its first (or last) good block over the sentences that lead into it (or
    follow it) with no furniture between: a short opening or closing sentence is the article's, even
    when it is too short to be prose by itself. Before the body a single short line between two such
    sentences goes with them; after it, the run stops at the first line that is not a sentence."""
    gap_max = RUN_GAP_BEFORE if step < 0 else RUN_GAP_AFTER
    best, gap, j = edge, 0, edge + step
    while 0 <= j < len(blocks) and classes[j] not in ("bad", "override", "meta"):
        if blocks[j].kind != "heading" and _sentence_like(feats[j], views[j]):
            best, gap = j, 0
        else:
            gap += 1
            if gap > gap_max:
                break
        j += step
    return best


def truncated_copies(views: list[str]) -> set[int]:
    """Blocks that end in an ellipsis and whose text stands elsewhere in the page: a teaser or a feed's
    cut-off title repeating the article (#话题#“我们已经……推...)."""
    squeezed = [re.sub(r"\s+", "", v) for v in views]
    out = set()
    for i, v in enumerate(squeezed):
        stem = v.rstrip(".…")
        if v.endswith(TRUNCATION) and len(stem) >= TRUNCATED_MIN_CHARS:
            rest = "".join(squeezed[:i] + squeezed[i + 1:])
            probe = stem[-TRUNCATED_MIN_CHARS:]
            if probe in rest:
                out.add(i)
    return out


def _headline(first: list[tuple], feats: list[Features], i: int) -> bool:
    """A title-like block right above a metadata line that dates or sources it: a headline over its
    date and source line (青县今年百万吨优质蔬菜进京津 / 2018年12月27日08:59 来源：河北新闻网), whatever
    furniture surrounds the pair in a copied page."""
    if i + 1 >= len(first) or first[i + 1][0] != "meta" or not _title_like(feats[i]):
        return False
    return any(c.field in ("published", "outlet") for c in first[i + 1][2])


def _cut_off(view: str) -> bool:
    """A list title cut off with an ellipsis (天津开发区税务局开展宣传辅导 派发个…): the ellipsis is the
    page's, not a sentence's end, when no other sentence mark stands before it."""
    stem = view.rstrip().rstrip(".…")
    return view.rstrip().endswith(TRUNCATION) and not re.search(r"[。！？!?]", stem)


def _touches_body(classes: list[str], i: int, end: int) -> bool:
    """Only metadata and undecided blocks stand between the body's last block and this one."""
    return all(c in ("short", "neargood", "meta") for c in classes[end + 1:i])


def furniture_sections(blocks: list[Block], views: list[str]) -> dict[int, str]:
    """Blocks inside a section whose heading names page or tool furniture (相关阅读, 元数据, AI 摘要 …):
    index -> the heading. A section ends at the next heading of the same or a higher level."""
    out: dict[int, str] = {}
    open_at: tuple[int, str] | None = None
    for i, (b, v) in enumerate(zip(blocks, views)):
        if b.kind == "heading":
            if open_at and (b.level or 9) <= open_at[0]:
                open_at = None
            if open_at is None and FURNITURE_SECTIONS.match(v.strip()):
                open_at = (b.level or 9, v.strip())
        if open_at:
            out[i] = open_at[1]
    return out


def classify(blocks: list[Block], views: list[str], rules=()) -> list[Verdict]:
    """One verdict per block: kept or removed, and why."""
    repeats = Counter(views)
    feats = [features(b, v, repeats[v]) for b, v in zip(blocks, views)]
    first: list[tuple[str, str, tuple[Candidate, ...]]] = []
    sections = furniture_sections(blocks, views)
    copies = truncated_copies(views)
    bars = title_bars(views)
    listed = list_items(blocks, views, feats)
    for i, (b, v, f) in enumerate(zip(blocks, views, feats)):
        if i in sections:
            first.append(("bad", f"in the section “{sections[i]}” (page or tool furniture)", ()))
            continue
        if i in copies:
            first.append(("bad", "a cut-off copy of text found elsewhere in the page", ()))
            continue
        if i in bars:
            first.append(("bad", "the window's title (the headline with the site's name)", ()))
            continue
        if i in listed:
            first.append(("bad", f"listed under “{listed[i]}” (links to other articles)", ()))
            continue
        if b.kind == "caption" and f.photo_credit:     # before the rules: a credit is not a source line
            first.append(("bad", "image caption with a photo credit", ()))
            continue
        core = without_toolbar(v)          # a date and source line keeps its meaning without its buttons
        rule = next((r for r in rules if r.match(core)), None) if core else None
        if rule is not None:
            hit = rule.match(core)
            cands = tuple(Candidate(key, rule_value(key, value), "cleaning rule", f"rule “{rule.reason}”: {v}", b.line)
                          for key, value in (hit.groupdict().items() if isinstance(hit, re.Match) else ()) if value)
            first.append(("override", f"{rule.reason} [rule in data/cleaning.yml]", cands))
            continue
        cands = tuple(metadata.meta_line(core, b.line)) if core else ()
        if cands and (b.kind != "heading" or (b.level or 0) >= METADATA_HEADING_MIN_LEVEL):
            first.append(("meta", "metadata: " + "; ".join(f"{c.field} {c.value}" for c in cands), cands))
            continue
        cls, why = own_class(f, b)
        first.append((cls, why, ()))
    furniture = [v for v, (c, _, _) in zip(views, first) if c in ("bad", "override")]
    for i, (v, (cls, why, cands)) in enumerate(zip(views, first)):
        if cls in ("short", "neargood") and len(v) <= SITE_NAME_MAX_CHARS and len(HAN.findall(v)) >= 2 \
                and any(v in other for other in furniture):
            first[i] = ("bad", "site name (recurs in the page's furniture)", cands)
    classes = [c for c, _, _ in first]
    good = [i for i, c in enumerate(classes) if c == "good"]
    start, end = (good[0], good[-1]) if good else (0, len(blocks) - 1)   # no prose at all: all of it is body
    if good:
        start, end = _run_edge(classes, feats, blocks, views, start, -1), _run_edge(classes, feats, blocks, views, end, 1)
    for i in range(end + 1, len(blocks)):          # after the body, a cut-off list title is decided furniture
        if classes[i] in ("short", "neargood") and _cut_off(views[i]):
            classes[i] = "bad"
    verdicts = []
    for i, (b, f, (cls, why, cands)) in enumerate(zip(blocks, feats, first)):
        if cls in ("override", "meta", "bad"):
            verdicts.append(Verdict(b, False, cls, why, cands))
        elif cls == "good":
            verdicts.append(Verdict(b, True, cls, why))
        elif start <= i <= end:
            if f.vocab_share > VOCAB_MAX_SHARE_EDGE and not f.ends_sentence and \
                    "bad" in (_neighbour(classes, i, -1), _neighbour(classes, i, 1)):
                verdicts.append(Verdict(b, False, "bad", f"furniture words ({'、'.join(f.vocab)}) next to furniture"))
            elif _headline(first, feats, i):
                verdicts.append(Verdict(b, True, cls, "a headline over its date or source line"))
            elif _neighbour(classes, i, -1) == "bad" and _neighbour(classes, i, 1) == "bad":
                verdicts.append(Verdict(b, False, "bad", f"{why}, between furniture blocks"))
            else:
                verdicts.append(Verdict(b, True, cls, f"{why}, inside the body"))
        elif i < start:
            if f.vocab_share > VOCAB_MAX_SHARE_EDGE:
                verdicts.append(Verdict(b, False, "bad", f"furniture words ({'、'.join(f.vocab)}) before the body"))
            elif _headline(first, feats, i):
                title = Candidate("title", " ".join(b.text.split()), "headline", b.text, b.line)
                verdicts.append(Verdict(b, True, cls, "the headline, over its date or source line", (title,)))
            elif _title_like(f) or _sentence_like(f, views[i]):
                verdicts.append(Verdict(b, True, cls, "a sentence before the body" if f.ends_sentence
                                        else "heading before the body (title or subtitle)"))
            else:
                verdicts.append(Verdict(b, False, "bad", f"{why} before the body, not a title"))
        else:
            if f.vocab_share > VOCAB_MAX_SHARE_EDGE:
                verdicts.append(Verdict(b, False, "bad", f"furniture words ({'、'.join(f.vocab)}) after the body"))
            elif _cut_off(views[i]):
                verdicts.append(Verdict(b, False, "bad", "a title cut off with an ellipsis, after the body"))
            elif _sentence_like(f, views[i]):
                if _neighbour(classes, i, -1) == "bad" and _neighbour(classes, i, 1) == "bad":
                    verdicts.append(Verdict(b, False, "bad", f"{why} after the body, between furniture blocks"))
                else:
                    verdicts.append(Verdict(b, True, cls, "a closing sentence after the body"))
            elif _title_like(f) and _touches_body(classes, i, end):
                verdicts.append(Verdict(b, True, cls, "a signature or closing line right after the body"))
            else:
                verdicts.append(Verdict(b, False, "bad", f"{why} after the body, not a sentence"))
    return verdicts
