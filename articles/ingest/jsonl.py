"""JSON Lines dumps in the corpus record format (see shared/corpus/README.md).

Dump bodies are already plain text, so cleaning stays cheap (whitespace and exact repeated
paragraphs only) to keep imports of tens of thousands of records fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from articles.text import detect_language

from .dates import parse_dated
from .errors import ParseError
from .limits import OversizedLine
from .records import ParsedArticle, truncate_raw

# Label lists carried by some dumps, kept as tags with their kind so the loader can tell
# a place from a person ("place:usa"); plain labels (tags, category) stay as they are.
KIND_LISTS = {
    "topics": "topic",
    "places": "place",
    "people": "person",
    "orgs": "org",
    "exchanges": "exchange",
    "provinces": "place",
}
PLAIN_LABELS = ("category", "subcategory")
LANGUAGES = ("fa", "en")
PERSIAN_CODES = ("fa", "prs", "per", "fas")  # Dari is Persian
_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n")
_FIRST_SENTENCE = re.compile(r"^(.{10,200}?[.!?؟۔])(?:\s|$)", re.S)


def iter_jsonl(
    lines: Iterable[str],
    *,
    origin: str,
    language: str = "auto",
) -> Iterator[ParsedArticle | ParseError]:
    """One ParsedArticle or ParseError per non-blank line; ``origin`` is the file path."""
    for lineno, line in enumerate(lines, start=1):
        where = f"{origin}:{lineno}"
        if isinstance(line, OversizedLine):
            yield ParseError(
                where,
                f"too large: the line exceeds the limit of {line.limit:,} characters "
                "for one record",
            )
            continue
        if not line.strip():
            continue
        try:
            yield parse_record_line(line, origin=where, language=language)
        except Exception as exc:  # one bad line must never stop the batch
            yield ParseError(where, f"unexpected error: {exc!r}")


def parse_record_line(
    line: str, *, origin: str, language: str = "auto"
) -> ParsedArticle | ParseError:
    try:
        record = json.loads(line)
    except ValueError as exc:
        return ParseError(origin, f"not JSON: {exc}")
    if not isinstance(record, dict):
        return ParseError(origin, f"not a JSON object but a {type(record).__name__}")
    return parse_record(record, origin=origin, raw=line, language=language)


def parse_record(
    record: dict[str, Any],
    *,
    origin: str,
    raw: str = "",
    language: str = "auto",
) -> ParsedArticle | ParseError:
    warnings: list[str] = []
    title = _text(record.get("title"))
    body, removed = clean_body(_text(record.get("body")))
    summary = _text(record.get("summary"))
    if not title and not body:
        return ParseError(origin, "record has neither a title nor a body")
    if not body:
        body = summary or title
        warnings.append("record has no body; used the " + ("summary" if summary else "title"))
    if not title:
        title = first_sentence(body)
        warnings.append("record has no title; derived it from the first sentence")
    lang = record.get("lang")
    code = str(lang or "").strip().lower().replace("_", "-").split("-")[0]
    code = "fa" if code in PERSIAN_CODES else code
    if language != "auto":
        lang = language
    elif code in LANGUAGES:
        lang = code
    elif code:
        return ParseError(
            origin,
            f"the record's lang {str(lang)[:20]!r} is neither Persian nor English; "
            "pass --language fa or --language en to import it anyway",
        )
    else:
        lang = detect_language(f"{title}\n{body[:2000]}")
    counterpart = _text(record.get("counterpart_url")) or _text(record.get("counterpart_id"))
    published, precision = parse_dated(record.get("published"), warnings)
    return ParsedArticle(
        title=title,
        body_text=body,
        language=lang,
        summary=summary,
        url=_text(record.get("url")),
        published_at=published,
        published_precision=precision,
        published_from="the record's published field" if published else "",
        byline=_text(record.get("author") or record.get("byline")),
        source_name=_text(record.get("source")),
        identity=_text(record.get("id")),
        counterpart_url=counterpart,
        tags=_labels(record),
        removed_blocks=removed,
        warnings=warnings,
        raw=truncate_raw(raw),
        origin=origin,
        format="jsonl",
    )


def clean_body(body: str) -> tuple[str, list[str]]:
    """Tidy whitespace and drop exact repeated paragraphs; returns (body, removed)."""
    if not body:
        return "", []
    paragraphs = [" ".join(p.split()) for p in _PARAGRAPH_SPLIT.split(body)]
    seen: set[str] = set()
    kept: list[str] = []
    removed: list[str] = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        if paragraph in seen and len(paragraph) > 20:
            removed.append(paragraph)
            continue
        seen.add(paragraph)
        kept.append(paragraph)
    return "\n\n".join(kept), removed


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = _FIRST_SENTENCE.match(text)
    if match:
        return match.group(1)
    if len(text) <= 200:
        return text
    return text[:200].rsplit(" ", 1)[0] + "…"


def _labels(record: dict[str, Any]) -> list[str]:
    labels: list[str] = []
    for value in _as_list(record.get("tags")):
        labels.append(value)
    for key in PLAIN_LABELS:
        labels.extend(_as_list(record.get(key)))
    for key, kind in KIND_LISTS.items():
        labels.extend(f"{kind}:{value}" for value in _as_list(record.get(key)))
    return list(dict.fromkeys(label for label in labels if label))


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, list):
        return [str(item).strip() for item in value if item is not None and str(item).strip()]
    return [str(value)]


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()
