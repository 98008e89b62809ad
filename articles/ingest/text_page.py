"""Plain-text pages scraped from news sites: drop the site chrome, collapse repeated blocks.

A scraped page typically reads: navigation lines ("Skip to main content", "Latest news",
image alt text in the other script), the title, the article, a teaser block for the same
story (title again plus a sentence lifted from the lead), then the whole article again,
then sharing widgets. The cleaner keeps one copy of each paragraph and lists what it
dropped in ``removed_blocks`` so the loader can keep provenance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from articles.text import (
    EN_STOPWORDS,
    FA_STOPWORDS,
    content_hash,
    detect_language,
    normalize,
    stem_en,
    stem_fa,
    tokenize,
)

from .dates import parse_dated
from .errors import ParseError
from .records import ParsedArticle, truncate_raw

# Navigation and widget labels seen on English and Persian news sites, "|"-separated.
# Matched against a whole line after normalisation, so sentences containing them stay.
_CHROME_TEXT = """
skip to main content | skip to content | main content | skip navigation | jump to content
main menu | menu | home | search | close | open | toggle navigation | latest news | latest
breaking news | top stories | most read | most popular | most viewed | trending
trending now | editor's picks | in pictures | share this post | share this article
share this story | share this | share | share on facebook | share on twitter
share on whatsapp | tweet | email | print | copy link | read more | read also | see also
also read | related | related articles | related news | related posts | related stories
more stories | more news | more from this section | you may also like | recommended
advertisement | sponsored | sponsored content | subscribe | subscribe to our newsletter
sign up | log in | login | sign in | register | next | previous | next article
previous article | next post | previous post | back to top | comments | leave a comment
leave a reply | follow us | all rights reserved | thumbnail | thumbnail image | image
photo | video | watch | listen | watch live | live | tags | topics | cookie settings
accept cookies | privacy policy | terms of use | contact us | about us
تصویر بندانگشتی | تصویر بند انگشتی | رفتن به محتوای اصلی | برو به محتوای اصلی | پرش به محتوا
صفحه اصلی | صفحه نخست | منو | جستجو | جست‌وجو | ورود | عضویت | آخرین اخبار | اخبار تازه
تازه‌ترین خبرها | تازه ترین خبرها | تازه‌ترین‌ها | خبرهای تازه | پربیننده‌ترین
پربیننده ترین | پربازدیدترین | پربازدید ترین | پرخواننده‌ترین | داغ‌ترین‌ها | اشتراک گذاری
اشتراک‌گذاری | همرسانی | هم‌رسانی | این مطلب را به اشتراک بگذارید | به اشتراک بگذارید
کپی لینک | لینک کوتاه | چاپ | ایمیل | بیشتر بخوانید | بیشتر | مطالب بیشتر | همچنین بخوانید
خبرهای مرتبط | اخبار مرتبط | مطالب مرتبط | مرتبط | مطالب پیشنهادی | خبر بعدی | خبر قبلی
مطلب بعدی | مطلب قبلی | نظرات | ارسال نظر | دیدگاه‌ها | برچسب‌ها | برچسب ها | کلیدواژه‌ها
کلید واژه ها | تبلیغات | آگهی | ویدیو | ویدئو | عکس | تصویر | گزارش تصویری | پخش زنده
دنبال کنید | ما را دنبال کنید | بازگشت به بالا | همه حقوق محفوظ است | کلیه حقوق محفوظ است
"""
CHROME_LINES: tuple[str, ...] = tuple(
    item.strip() for item in _CHROME_TEXT.replace("\n", "|").split("|") if item.strip()
)
_CHROME_PREFIX = re.compile(
    r"^(?:share (?:on|via)\b|follow us\b|©|\(c\)\s|copyright\b|all rights reserved"
    r"|click here\b|sign up for\b|subscribe to\b|کلیه حقوق|تمامی حقوق|همه حقوق|©)",
    re.IGNORECASE,
)
_SENTENCE_END = ".!?؟…۔"
_TRAILING = " \t\u00a0\u200c\u200f\"'”’»)]›"
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?؟۔])(?:\s|$)")
TITLE_MAX_WORDS = 25
TITLE_MAX_CHARS = 200
SHORT_LINE_WORDS = 5
OTHER_SCRIPT_MAX_WORDS = 8
TEASER_MIN_TOKENS = 5
DATE_LINE_WINDOW = 8  # datelines sit next to the title, among the first lines
_DATE_PREFIX = re.compile(
    r"^(?:published|updated|posted|last updated|date|تاریخ انتشار|تاریخ|منتشر شده|"
    r"به\u200cروزرسانی|به روز رسانی)\s*(?:on|:)?\s*",
    re.IGNORECASE,
)
_TRAILING_TIME = re.compile(r"[\s,|\-–]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?\s*\S*$", re.I)
TEASER_MAX_TOKENS = 80  # teasers are a sentence or two; longer paragraphs are not compared
TEASER_COVERAGE = 0.85
TEASER_MIN_CONTENT_WORDS = 4  # "The Taliban denied it." shares too little to be a teaser


def parse_text(
    text: str,
    *,
    origin: str = "",
    url: str = "",
    language: str = "auto",
) -> ParsedArticle | ParseError:
    """One article from a scraped plain-text page, or a ParseError when nothing is left."""
    lines = _logical_lines(text)
    if not lines:
        return ParseError(origin, "empty text: no lines with content")
    removed: list[str] = []
    published, precision = None, ""
    for line in lines[:DATE_LINE_WINDOW]:
        found, found_precision = _date_line(line)
        if found is not None:
            if published is None:
                published, precision = found, found_precision
            removed.append(line)
    dated = set(removed)
    lines = [line for line in lines if line not in dated]
    body_lang = _body_language(lines)
    candidates: list[str] = []
    for line in lines:
        if is_chrome(line) or _is_other_script(line, body_lang):
            removed.append(line)
        else:
            candidates.append(line)
    title, title_index = _find_title(candidates)
    paragraphs: list[str] = []
    for index, line in enumerate(candidates):
        if index < title_index and not _is_sentence(line):
            removed.append(line)  # headlines and labels above the article
        elif index != title_index:
            paragraphs.append(line)
    paragraphs = _drop_tail_labels(paragraphs, removed)
    kept, dropped = collapse_repeats(paragraphs, title=title)
    removed.extend(dropped)
    if title_index < 0 and kept:
        title = _first_sentence(kept[0])
    if not kept:
        return ParseError(origin, "no article text left after removing navigation and repeats")
    body = "\n\n".join(kept)
    detected = detect_language(body)
    return ParsedArticle(
        title=title,
        body_text=body,
        language=detected if language == "auto" else language,
        url=url,
        published_at=published,
        published_precision=precision,
        published_from="a dateline of the page" if published else "",
        removed_blocks=removed,
        raw=truncate_raw(text),
        origin=origin,
        format="text",
    )


def collapse_repeats(paragraphs: Iterable[str], *, title: str = "") -> tuple[list[str], list[str]]:
    """Keep the first copy of each paragraph; drop repeats of the title and teasers.

    Paragraphs are compared by ``content_hash`` (normalised, ignoring whitespace and
    punctuation). A teaser is a short paragraph whose content words nearly all appear in one
    longer kept paragraph, in any order (a sentence lifted from the lead, shortened or
    reworded; see `_is_teaser`). Returns ``(kept, removed)``.
    """
    title_key = content_hash(title) if title.strip() else None
    title_norm = _key(title)
    seen: set[str] = set()
    kept: list[str] = []
    removed: list[str] = []
    for paragraph in paragraphs:
        key = content_hash(paragraph)
        if key == title_key or key in seen or _is_title_fragment(paragraph, title_norm):
            removed.append(paragraph)
            continue
        seen.add(key)
        kept.append(paragraph)
    tokens = [[token.text for token in tokenize(paragraph)] for paragraph in kept]
    teasers = {i for i in range(len(kept)) if _is_teaser(i, tokens)}
    removed.extend(kept[i] for i in sorted(teasers))
    return [p for i, p in enumerate(kept) if i not in teasers], removed


def _is_title_fragment(paragraph: str, title_norm: str) -> bool:
    """A heading that repeats the start of the title ("Headline" for "Headline - Author")."""
    if not title_norm or _is_sentence(paragraph) or len(paragraph.split()) < 3:
        return False
    key = _key(paragraph)
    return title_norm.startswith(key) and title_norm[len(key) :][:1] in ("", " ")


def is_chrome(line: str) -> bool:
    """True for a navigation/widget label from the curated list (after normalisation)."""
    key = _key(line)
    if not key:
        return True
    return key in _chrome_keys() or bool(_CHROME_PREFIX.match(line.strip()))


def _content_words(tokens: list[str]) -> set[str]:
    """Stems of the words that carry content: a teaser may reorder and reinflect them."""
    words: set[str] = set()
    for token in tokens:
        if token in EN_STOPWORDS or token in FA_STOPWORDS or token.isdigit():
            continue
        persian = any("\u0600" <= char <= "\u06ff" for char in token)
        words.add(stem_fa(token) if persian else stem_en(token))
    return words


def _is_teaser(index: int, tokens: list[list[str]]) -> bool:
    """A short paragraph whose content words (nearly) all occur in one longer paragraph, in
    any order: a sentence lifted from the lead, shortened or reworded, often repeated as the
    page's last paragraph."""
    mine = tokens[index]
    if not TEASER_MIN_TOKENS <= len(mine) <= TEASER_MAX_TOKENS:
        return False
    words = _content_words(mine)
    if len(words) < TEASER_MIN_CONTENT_WORDS:
        return False
    for other_index, other in enumerate(tokens):
        if other_index == index or len(other) <= len(mine):
            continue
        if len(words & _content_words(other)) >= TEASER_COVERAGE * len(words):
            return True
    return False


def _logical_lines(text: str) -> list[str]:
    """Lines with content; hard-wrapped lines inside a block are joined back."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        previous_open = False
        for raw_line in block.split("\n"):
            line = " ".join(raw_line.split())
            if not line:
                continue
            if previous_open and lines and line[0].islower():
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
            previous_open = not _is_sentence(lines[-1]) and len(lines[-1].split()) > 8
    return lines


def _body_language(lines: list[str]) -> str | None:
    long_lines = [line for line in lines if len(line.split()) >= 12] or lines
    return detect_language(" ".join(long_lines)[:20_000])


def _is_other_script(line: str, body_lang: str | None) -> bool:
    if body_lang is None or len(line.split()) > OTHER_SCRIPT_MAX_WORDS:
        return False
    lang = detect_language(line)
    return lang is not None and lang != body_lang


def _date_line(line: str) -> tuple[datetime | None, str]:
    """The date of a short dateline ("Published: January 4, 2021", "دلو ۰۴, ۱۴۰۳") and its
    precision."""
    if len(line.split()) > 8 or not any(ch.isdigit() for ch in line):
        return None, ""
    text = _DATE_PREFIX.sub("", line.strip())
    if not text:
        return None, ""
    found = parse_dated(text, [])
    if found[0] is None:
        found = parse_dated(_TRAILING_TIME.sub("", text).strip(" ,|-–"), [])
    return found


def _find_title(candidates: list[str]) -> tuple[str, int]:
    for index, line in enumerate(candidates):
        words = line.split()
        if _is_sentence(line) and len(words) > 3:
            break  # the article started without a title line
        if 3 <= len(words) <= TITLE_MAX_WORDS and 10 <= len(line) <= TITLE_MAX_CHARS:
            if not _is_sentence(line):
                return line, index
    return "", -1


def _drop_tail_labels(paragraphs: list[str], removed: list[str]) -> list[str]:
    """Short label lines after the last sentence are widgets, not article text."""
    end = len(paragraphs)
    while end > 0:
        line = paragraphs[end - 1]
        if _is_sentence(line) or len(line.split()) > SHORT_LINE_WORDS:
            break
        end -= 1
    removed.extend(paragraphs[end:])
    return paragraphs[:end]


def _is_sentence(line: str) -> bool:
    stripped = line.rstrip(_TRAILING)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _first_sentence(paragraph: str) -> str:
    match = _FIRST_SENTENCE.match(paragraph)
    sentence = match.group(1) if match else paragraph
    if len(sentence) > TITLE_MAX_CHARS:
        sentence = sentence[:TITLE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return sentence


def _key(line: str) -> str:
    return " ".join(normalize(line).split()).strip(" :|-–—•·»«>›‹<")


@lru_cache(maxsize=1)
def _chrome_keys() -> frozenset[str]:
    return frozenset(_key(line) for line in CHROME_LINES)
