"""Keyword in context: every occurrence of a query's words in the matching articles, as one
aligned line (left context, keyword, right context).

Where each word occurs is read from the index's postings (character offsets recorded by the
archive's analysis, `articles.search.whoosh.offsets.postings_hits`), so every spelling the search
matched is found (`كتاب` finds `کتاب‌ها`) without re-analysing the text. The lines come from the
`MAX_DOCS` newest matching articles (the page says so when there are more: narrowing the
search by period reaches the others), at most `MAX_LINES` of them, in article order or sorted
by the word left or right of the keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from articles.search.contract import RawHit
from articles.search.engine import match_search
from articles.search.hits import highlight_terms, search_hit
from articles.search.types import SearchParams
from articles.search.whoosh.offsets import postings_hits
from articles.search.whoosh.results import clean_stored

MAX_DOCS = 200
MAX_LINES = 5000
CONTEXT = 70  # characters each side
PER_PAGE = 50
SORTS = ("article", "left", "right")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


@dataclass
class Line:
    article_id: int
    url: str
    title: str
    language: str
    source: str
    published: datetime | None
    left: str
    keyword: str
    right: str

    @property
    def left_word(self) -> str:
        words = _WORD.findall(self.left)
        return words[-1].casefold() if words else ""

    @property
    def right_word(self) -> str:
        words = _WORD.findall(self.right)
        return words[0].casefold() if words else ""


@dataclass
class Concordance:
    count: int  # matching articles
    articles_read: int
    lines: list[Line]  # every line read (sorted)
    page: int = 1
    per_page: int = PER_PAGE
    sort: str = "article"
    terms: list[str] = field(default_factory=list)
    truncated: bool = False  # MAX_LINES reached

    @property
    def num_pages(self) -> int:
        return max(1, -(-len(self.lines) // self.per_page))

    @property
    def page_lines(self) -> list[Line]:
        first = (self.page - 1) * self.per_page
        return self.lines[first : first + self.per_page]


def _clip_left(text: str) -> str:
    text = _SPACE.sub(" ", text)
    if len(text) >= CONTEXT:
        cut = text.find(" ")
        text = "…" + text[cut + 1 :] if 0 <= cut < 20 else "…" + text
    return text


def _clip_right(text: str) -> str:
    text = _SPACE.sub(" ", text)
    if len(text) >= CONTEXT:
        cut = text.rfind(" ")
        text = text[:cut] + "…" if cut > CONTEXT - 20 else text + "…"
    return text


def concordance(
    params: SearchParams, *, page: int = 1, sort: str = "article", per_page: int = PER_PAGE
) -> Concordance:
    matches = match_search(params)
    backend, columns = matches.backend, matches.columns
    ordered = columns.order("published", matches.docnums, reverse=True)[:MAX_DOCS]
    docnums = ordered.tolist()
    lines: list[Line] = []
    truncated = False
    with backend.searcher() as searcher:
        terms = highlight_terms(matches.plan)
        found = postings_hits(searcher, docnums, "text", terms) if terms else {}
        for docnum in docnums:
            occurrences = found.get(docnum) or []
            if not occurrences:
                continue
            stored = searcher.stored_fields(docnum)
            hit = search_hit(RawHit(docnum=docnum, score=0.0, fields=clean_stored(dict(stored))))
            text = stored.get("text") or ""
            seen_end = -1
            for occurrence in occurrences:
                start, end = occurrence[1], occurrence[2]
                if start < seen_end:  # a compound's part inside its joined form
                    continue
                seen_end = end
                lines.append(
                    Line(
                        article_id=hit.article_id,
                        url=hit.url,
                        title=hit.title,
                        language=hit.language,
                        source=hit.source_name,
                        published=hit.published_at,
                        left=_clip_left(text[max(0, start - CONTEXT) : start]),
                        keyword=text[start:end],
                        right=_clip_right(text[end : end + CONTEXT]),
                    )
                )
            if len(lines) >= MAX_LINES:
                lines, truncated = lines[:MAX_LINES], True
                break
    sort = sort if sort in SORTS else "article"
    if sort == "left":
        lines.sort(key=lambda line: (line.left_word, line.keyword.casefold()))
    elif sort == "right":
        lines.sort(key=lambda line: (line.right_word, line.keyword.casefold()))
    per_page = max(10, min(int(per_page), 500))
    result = Concordance(
        count=len(matches.docnums),
        articles_read=len(docnums),
        lines=lines,
        per_page=per_page,
        sort=sort,
        terms=sorted(terms),
        truncated=truncated,
    )
    result.page = max(1, min(int(page), result.num_pages))
    return result


def line_json(line: Line, absolute) -> dict:
    return {
        "article_id": line.article_id,
        "url": absolute(line.url),
        "title": line.title,
        "language": line.language,
        "source": line.source,
        "published": line.published.isoformat() if line.published else None,
        "left": line.left,
        "keyword": line.keyword,
        "right": line.right,
    }


CSV_HEADER = ("article_id", "url", "published", "language", "source", "left", "keyword", "right")


def line_csv(line: Line, absolute) -> list:
    published = line.published.isoformat() if line.published else ""
    return [line.article_id, absolute(line.url), published, line.language, line.source,
            line.left, line.keyword, line.right]  # fmt: skip
