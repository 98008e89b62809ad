"""Result hits from what the index stores: the fields of each hit as a `SearchHit`, its title
and snippet highlighted (from the postings' offsets where the backend gives them, else by
re-analysing the stored text). No database query per hit."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse

from articles.search.contract import RawHit, SearchBackend
from articles.search.present import highlight as hl
from articles.search.types import SearchHit

if TYPE_CHECKING:  # the engine imports this module
    from articles.search.engine import Plan


def search_hits(
    backend: SearchBackend, raw_hits: list[RawHit], plan: Plan | None, used=None
) -> list[SearchHit]:
    """Result hits; with a plan, highlighted from the stored text and the postings' offsets
    (no database query, no re-analysis of the article text)."""
    hits = [search_hit(raw_hit) for raw_hit in raw_hits]
    if plan is None or not hits:
        return hits
    names = backend.schema.names()
    title_analyzer = backend.schema["title" if "title" in names else "text"].analyzer
    text_analyzer = backend.schema["text"].analyzer
    with backend.searcher() as current:
        searcher = used or current  # the searcher that numbered the hits
        terms = highlight_terms(plan)
        docnums = [raw_hit.docnum for raw_hit in raw_hits]
        # Whoosh gives offsets from its postings; an engine without them (Solr) re-analyses.
        postings = backend.postings_offsets
        found = backend.term_offsets(searcher, docnums, "text", terms) if terms and postings else {}
        for hit, raw_hit in zip(hits, raw_hits, strict=True):
            text = searcher.stored_fields(raw_hit.docnum).get("text") or ""
            floor = len(hit.title) if hit.title and text.startswith(hit.title) else 0
            if postings:
                snippet = hl.snippet_from_hits(text, found.get(raw_hit.docnum, []), floor=floor)
            else:
                snippet = hl.highlight_snippet(text[floor:], text_analyzer, terms)
            hit.snippet_html, hit.snippet_text = snippet.html, snippet.text
            hit.title_html = hl.highlight_title(hit.title, title_analyzer, terms)
    return hits


def highlight_terms(plan: Plan) -> set[str]:
    """The analysed words searched for, with the completions searched for each prefix."""
    terms = set(plan.parsed.highlight_terms)
    for (fieldname, prefix), kept in plan.expansions.items():
        if fieldname == "text" and prefix in plan.parsed.highlight_prefixes:
            terms.update(word for word, _frequency in kept)
    return terms


def search_hit(raw_hit: RawHit) -> SearchHit:
    fields = raw_hit.fields
    article_id = int(fields.get("article_id") or 0)
    title = fields.get("title") or ""
    return SearchHit(
        article_id=article_id,
        title=title,
        url=_article_path(article_id, fields.get("slug") or "", fields.get("url") or ""),
        language=fields.get("language") or "",
        source_name=fields.get("source_name") or fields.get("source") or "",
        source_slug=fields.get("source") or "",
        published_at=fields.get("published"),
        snippet_html="",
        score=float(raw_hit.score or 0.0),
        title_html=escape(title),
        source_name_fa=fields.get("source_name_fa") or "",
        entities=list(fields.get("entities") or []),
    )


def _article_path(article_id: int, slug: str, stored_url: str) -> str:
    try:
        return reverse("articles:article", kwargs={"pk": article_id, "slug": slug or "-"})
    except NoReverseMatch:
        return stored_url
