"""Citations of archived news articles: BibTeX, RIS and a one-line APA/Chicago reference.

As Chronicling America and the citation styles ask, all three cite the original publication
(outlet as the newspaper, byline, date as precise as the source gave it, the original URL) and
then the archived copy: the archive's permalink, where the reader consulted the text, with the
date of access. Text stays UTF-8, so Persian titles survive; BibTeX's special characters are
escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from articles.models import Article
from articles.text.calendar import (
    GREGORIAN_MONTHS_EN,
    GREGORIAN_MONTHS_FA,
    JALALI_MONTHS,
    jalali,
    local_date,
    persian_digits,
)
from articles.text.dateprecision import Precision, calendar_day, effective

STYLES = ("apa", "chicago")

_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LANGUAGE_NAMES = {"fa": "Persian", "en": "English"}

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL_RE = re.compile("|".join(re.escape(char) for char in _BIBTEX_SPECIALS))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_BYLINE_PREFIX = re.compile(r"^\s*(?:by|به\s+قلم|نوشته)\s*[:：]?\s+", re.IGNORECASE)


# A date as each format writes it at the precision the source gave: (year, month, day), with
# {y} {m} {d} as numbers and {M} the English month name.
ISO = ("{y:04d}", "{y:04d}-{m:02d}", "{y:04d}-{m:02d}-{d:02d}")
RIS = ("{y:04d}/", "{y:04d}/{m:02d}/", "{y:04d}/{m:02d}/{d:02d}")  # YYYY/MM/DD/other
APA = ("({y})", "({y}, {M})", "({y}, {M} {d})")
LONG = ("{y}", "{M} {y}", "{M} {d}, {y}")  # Chicago, and the date of access
CITE_LINE = ("{y}", "{y}, {M}", "{y}, {M} {d}")


def written(day: date, exact: str, formats: tuple[str, str, str]) -> str:
    """`day` in one of the formats above, no more precise than `exact`."""
    index = {Precision.YEAR: 0, Precision.MONTH: 1}.get(exact, 2)
    return formats[index].format(
        y=day.year, m=day.month, d=day.day, M=GREGORIAN_MONTHS_EN[day.month - 1]
    )


def one_line(text: str | None) -> str:
    """Text on a single line: control characters and line breaks become single spaces."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def bibtex_escape(text: str | None) -> str:
    return _BIBTEX_SPECIAL_RE.sub(lambda match: _BIBTEX_SPECIALS[match.group(0)], one_line(text))


def author_of(article: Article) -> str:
    """The byline without a leading "By"; empty when the article has none."""
    return _BYLINE_PREFIX.sub("", one_line(article.byline))


def source_name(article: Article) -> str:
    return one_line(article.source.name_in(article.language))


def published_date(article: Article) -> date | None:
    """The publication day (in the archive's time zone when the source gave a time); for a
    month or a year only, the first day of it (see `precision`)."""
    if article.published_at is None:
        return None
    return calendar_day(article.published_at, article.published_precision)


def precision(article: Article) -> str:
    return effective(article.published_at, article.published_precision)


def original_url(article: Article) -> str:
    return one_line(article.original_url or article.canonical_url)


def _accessed_date(accessed: date | datetime | None) -> date:
    return timezone.localdate() if accessed is None else local_date(accessed)


def citation_key(article: Article) -> str:
    """ASCII-only key (BibTeX cannot rely on more): source slug, year, article id."""
    base = re.sub(r"[^a-z0-9]", "", (article.source.slug or "").lower()) or "article"
    day = published_date(article)
    return f"{base}{day.year}_{article.pk}" if day else f"{base}_{article.pk}"


def _bibtex_url(url: str) -> str:
    # Braces would unbalance the entry; everything else is safe inside url = {…}.
    return one_line(url).replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def bibtex_entry(article: Article, *, url: str, accessed: date | datetime | None = None) -> str:
    """One `@article` entry (newspaper article: journal and publisher are the source)."""
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(article.title) + "}")]
    author = author_of(article)
    if author:
        fields.append(("author", "{" + bibtex_escape(author) + "}"))
    source = bibtex_escape(source_name(article))
    fields += [("journal", "{" + source + "}"), ("publisher", "{" + source + "}")]
    day, exact = published_date(article), precision(article)
    if day:
        fields.append(("year", f"{{{day.year}}}"))
        if exact != Precision.YEAR:
            fields.append(("month", _MONTH_MACROS[day.month - 1]))
        if exact in {Precision.TIME, Precision.DAY}:
            fields.append(("day", f"{{{day.day}}}"))
        fields.append(("date", "{" + written(day, exact, ISO) + "}"))
    language = _LANGUAGE_NAMES.get(article.language, article.language)
    seen = _accessed_date(accessed).isoformat()
    original = original_url(article)
    fields += [
        ("url", "{" + _bibtex_url(original or url) + "}"),
        ("urldate", "{" + seen + "}"),
        ("note", "{Archived copy: \\url{" + _bibtex_url(url) + "}, accessed " + seen + "}"),
        ("language", "{" + language.lower() + "}"),
        ("langid", "{" + language.lower() + "}"),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@article{{{citation_key(article)},\n{body},\n}}\n"


def ris_record(article: Article, *, url: str, accessed: date | datetime | None = None) -> str:
    """One RIS record of type NEWS, lines ending in CRLF as the format asks."""
    lines = [("TY", "NEWS"), ("T1", one_line(article.title))]
    author = author_of(article)
    if author:
        lines.append(("AU", author))
    source = source_name(article)
    lines += [("JO", source), ("PB", source)]
    day = published_date(article)
    if day:
        lines += [("DA", written(day, precision(article), RIS)), ("PY", str(day.year))]
    seen = _accessed_date(accessed)
    original = original_url(article)
    if original:
        lines.append(("UR", original))
    lines += [
        ("UR", one_line(url)),
        ("N1", f"Archived copy: {one_line(url)}, accessed {seen.isoformat()}"),
        ("Y2", written(seen, Precision.DAY, RIS)),
        ("LA", _LANGUAGE_NAMES.get(article.language, article.language)),
        ("ID", str(article.pk)),
    ]
    text = "".join(f"{tag}  - {value}\r\n" for tag, value in lines)
    return text + "ER  - \r\n"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!", "؟")) else f"{text}."


def cite_when(article: Article) -> str:
    """The date of a cite line in the article's own language (Solar Hijri in Persian), no more
    precise than the source."""
    exact = precision(article)
    if article.published_at is None:
        return "بی‌تا" if article.language == "fa" else "n.d."
    day = calendar_day(article.published_at, exact)
    if article.language == "fa":
        if exact == Precision.YEAR:
            return persian_digits(day.year)
        if exact == Precision.MONTH:
            return persian_digits(f"{day.year}، {GREGORIAN_MONTHS_FA[day.month - 1]}")
        jday = jalali(day)
        return persian_digits(f"{jday.year}، {jday.day} {JALALI_MONTHS[jday.month - 1]}")
    return written(day, exact, CITE_LINE)


def citation_line(
    article: Article, style: str, accessed: date | datetime | None = None, *, url: str = ""
) -> str:
    """A plain-text reference in APA (7th) or Chicago (notes-bibliography) style: the original
    publication (with its URL when known), then the archived copy and the date of access.

    `url` should be the absolute permalink; it defaults to the article's path. The result is
    plain text: the page escapes it like any other string.
    """
    if style not in STYLES:
        raise ValueError(f"Unknown citation style {style!r}: use one of {', '.join(STYLES)}.")
    url = one_line(url or article.get_absolute_url())
    title = one_line(article.title)
    author = author_of(article)
    source = source_name(article)
    day, exact = published_date(article), precision(article)
    seen = _accessed_date(accessed)
    original = original_url(article)
    if style == "apa":
        when = written(day, exact, APA) if day else "(n.d.)"
        head = (
            f"{_sentence(author)} {when}. {_sentence(title)}"
            if author
            else f"{_sentence(title)} {when}."
        )
        head = f"{head} {source}." + (f" {original}" if original else "")
        return f"{head} Retrieved {written(seen, Precision.DAY, LONG)}, from {url}"
    quoted = f"“{title}.”" if _sentence(title) != title else f"“{title}”"
    parts = [_sentence(author) if author else "", quoted, f"{source},"]
    parts.append(f"{written(day, exact, LONG)}." if day else "n.d.")
    if original:
        parts.append(f"{original}.")
    parts += [f"Accessed {written(seen, Precision.DAY, LONG)}.", f"{url}."]
    return " ".join(part for part in parts if part)


def _published_article(pk: int) -> Article:
    return get_object_or_404(Article.objects.published().select_related("source"), pk=pk)


def _download(
    request: HttpRequest, pk: int, *, write: Callable[..., str], content_type: str, extension: str
) -> HttpResponse:
    """One published article's citation as a file named after its citation key."""
    article = _published_article(pk)
    url = request.build_absolute_uri(article.get_absolute_url())
    response = HttpResponse(write(article, url=url), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{citation_key(article)}.{extension}"'
    return response


def article_bibtex(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(
        request, pk, write=bibtex_entry, content_type="application/x-bibtex; charset=utf-8",
        extension="bib",
    )  # fmt: skip


def article_ris(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(
        request, pk, write=ris_record,
        content_type="application/x-research-info-systems; charset=utf-8", extension="ris",
    )  # fmt: skip
