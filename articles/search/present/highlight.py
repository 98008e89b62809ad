"""Highlighted text for result lists: safe HTML with `<mark>` around the words searched for.

The stored text is run through the field's own analyzer (`NewsAnalyzer`) with character
offsets into the *original* text, and a word is marked when its analysed form is one the query
searched for (or starts with a searched prefix). So `كتابها` marks `کِتاب‌ها` exactly as the
reader sees it, harakat and ZWNJ included, and `elections` marks `Election`. The text is
escaped piece by piece around the marks, so nothing in an article can inject markup.

The snippet is a window of about `WINDOW` words around the densest hits (most distinct words
searched for, then most hits), cut at word boundaries, with "…" where it was cut.

Direction: a snippet is a fragment of the article's own language. Show it inside an element
with the article's `lang` and `dir` (or `dir="auto"`), e.g. `<p lang="fa" dir="rtl">`, so
punctuation and the "…" stay on the correct side in both interfaces; `bidi_isolated()` wraps
a fragment in `<bdi>` for places where the container's direction is not the article's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape, unescape

WINDOW = 30  # words in a snippet
LEAD = 6  # words of context before the first hit
MAX_CHARS = 60_000  # text analysed per document

_TAGS = re.compile(r"</?mark>")


@dataclass(frozen=True)
class Highlighted:
    html: str
    text: str


def word_spans(text: str, analyzer) -> list[tuple[int, int, int, str]]:
    """[(position, start, end, term)] of every analysed word of `text`."""
    out = []
    for token in analyzer(text[:MAX_CHARS], positions=True, chars=True, mode="index"):
        out.append((token.pos, token.startchar, token.endchar, token.text))
    return out


def _is_hit(term: str, terms: set[str], prefixes: Iterable[str]) -> bool:
    return term in terms or any(term.startswith(prefix) for prefix in prefixes)


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, cursor = [], start
    for span_start, span_end in _merge(spans):
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, cursor), min(span_end, end)
        if span_start >= span_end:
            continue
        out.append(escape(text[cursor:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    out.append(escape(text[cursor:end]))
    return "".join(out)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight_title(title: str, analyzer, terms: set[str], prefixes=()) -> str:
    spans = [
        (s, e) for _p, s, e, t in word_spans(title or "", analyzer) if _is_hit(t, terms, prefixes)
    ]
    return _marked(title or "", spans, 0, len(title or ""))


def highlight_snippet(
    text: str, analyzer, terms: set[str], prefixes=(), *, window: int = WINDOW
) -> Highlighted:
    """About `window` words of `text` around its densest hits, marked."""
    text = text or ""
    if not text.strip():
        return Highlighted("", "")
    words = word_spans(text, analyzer)
    hits = [(p, s, e, t) for p, s, e, t in words if _is_hit(t, terms, prefixes)]
    positions = sorted({p for p, *_rest in words})
    if not positions:
        cut = text[:240]
        return Highlighted(escape(cut), cut)
    first_pos = _best_start(hits, window) if hits else positions[0]
    lead_index = max(0, positions.index(first_pos) - LEAD) if first_pos in positions else 0
    start_pos = positions[lead_index]
    end_pos = positions[min(len(positions) - 1, lead_index + window - 1)]
    inside = [(s, e) for p, s, e, _t in words if start_pos <= p <= end_pos]
    start = 0 if lead_index == 0 else min(s for s, _e in inside)
    end = (
        len(text)
        if end_pos == positions[-1] and len(text) <= MAX_CHARS
        else max(e for _s, e in inside)
    )
    spans = [(s, e) for _p, s, e, _t in hits]
    body_html = _marked(text, spans, start, end)
    body_text = text[start:end]
    before, after = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
    html = " ".join((before + body_html + after).split())
    plain = " ".join((before + body_text + after).split())
    return Highlighted(html, plain)


def _best_start(hits: list[tuple[int, int, int, str]], window: int) -> int:
    """The position of the hit that opens the `window` holding most distinct terms, then hits."""
    best, best_key = hits[0][0], (-1, -1)
    j = 0
    for i, (pos, *_rest) in enumerate(hits):
        j = max(j, i)
        while j + 1 < len(hits) and hits[j + 1][0] < pos + window - LEAD:
            j += 1
        chunk = hits[i : j + 1]
        key = (len({t for *_x, t in chunk}), len(chunk))
        if key > best_key:
            best, best_key = pos, key
    return best


LEAD_CHARS = 60
SNIPPET_CHARS = 220  # about 30 words


def snippet_from_hits(text: str, hits: list[tuple], *, floor: int = 0) -> Highlighted:
    """About SNIPPET_CHARS characters of `text` around the densest `hits` (from the postings),
    starting no earlier than `floor` (the title the indexed text begins with)."""
    text = text or ""
    hits = [hit for hit in hits if hit[1] >= floor and hit[2] <= len(text)]
    if hits:
        first = _best_start(hits, WINDOW)
        first_char = next(hit[1] for hit in hits if hit[0] == first)
        start = max(floor, first_char - LEAD_CHARS)
    else:
        first_char = start = floor
    if start > floor:
        space = text.find(" ", start, first_char)
        start = space + 1 if space != -1 else start
    while start < len(text) and text[start].isspace():
        start += 1
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", max(start, first_char), end)
        end = space if space > start else end
    html = _marked(text, [(hit[1], hit[2]) for hit in hits], start, end)
    before, after = ("…" if start > floor else ""), ("…" if end < len(text) else "")
    return Highlighted(
        " ".join((before + html + after).split()),
        " ".join((before + text[start:end] + after).split()),
    )


def plain_text(html: str) -> str:
    """The text of a highlighted fragment, without markup."""
    return unescape(_TAGS.sub("", html or ""))


def bidi_isolated(html: str, language: str = "") -> str:
    """`html` isolated from the surrounding text direction (for mixed-direction lines)."""
    direction = {"fa": "rtl", "en": "ltr"}.get(language, "auto")
    lang = f' lang="{language}"' if language in ("fa", "en") else ""
    return f'<bdi dir="{direction}"{lang}>{html}</bdi>'
