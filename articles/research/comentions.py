"""Co-mentions: the entities most often tagged on the same articles as a query or an entity.

Counted over every matching article with the index's entity column (no database query per
article); the links between the co-mentioned entities themselves (how many of the matching
articles carry both) come from one small incidence-matrix product. Only the entity names come
from the database (one query).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from articles.models import Entity
from articles.search.engine import match_search
from articles.search.types import SearchParams

LIMIT = 25  # rows of the table
NETWORK = 12  # nodes of the picture


@dataclass
class CoMention:
    slug: str
    name: str
    kind: str
    count: int  # matching articles tagged with it
    share: float  # of the matching articles


@dataclass
class CoMentions:
    count: int  # matching articles
    tagged: int  # of which carry at least one entity
    focus: list[str]  # entity slugs the search is about (left out of the list)
    entities: list[CoMention] = field(default_factory=list)
    edges: list[tuple[int, int, int]] = field(default_factory=list)  # among the first NETWORK


def co_mentions(
    params: SearchParams, *, language: str = "en", limit: int = LIMIT, matches=None
) -> CoMentions:
    matches = matches or match_search(params)
    columns, docnums = matches.columns, matches.docnums
    focus = list(dict.fromkeys([
        *params.entities,
        *(item.get("slug", "") for item in matches.plan.parsed.expansions),
    ]))  # fmt: skip
    focus = [slug for slug in focus if slug]
    counted = columns.counts("entities", docnums, limit=limit + len(focus))
    pairs = [(str(slug), n) for slug, n in counted if slug not in focus][:limit]
    docs, codes = columns.multi("entities")
    selected = np.zeros(len(columns.live), dtype=bool)
    selected[docnums] = True
    in_set = selected[docs]
    result = CoMentions(count=len(docnums), tagged=int(len(np.unique(docs[in_set]))), focus=focus)
    entities = {
        e.slug: e
        for e in Entity.objects.filter(slug__in=[slug for slug, _n in pairs]).only(
            "slug", "name_en", "name_fa", "kind"
        )
    }
    for slug, n in pairs:
        entity = entities.get(slug)
        result.entities.append(
            CoMention(
                slug=slug,
                name=entity.name_in(language) if entity else slug,
                kind=entity.kind if entity else "",
                count=int(n),
                share=n / len(docnums) if len(docnums) else 0.0,
            )
        )
    result.edges = _edges(columns, docs[in_set], codes[in_set], [s for s, _n in pairs[:NETWORK]])
    return result


def _edges(columns, docs: np.ndarray, codes: np.ndarray, slugs: list[str]):
    """[(i, j, articles carrying both)] for the entities `slugs` (indexes into it)."""
    vocabulary = columns.vocab.get("entities")
    if vocabulary is None or len(slugs) < 2:
        return []
    wanted = np.array([vocabulary.codes.get(slug, -2) for slug in slugs], dtype=np.int64)
    keep = np.isin(codes, wanted)
    docs, codes = docs[keep], codes[keep]
    if not len(docs):
        return []
    rows, row_index = np.unique(docs, return_inverse=True)
    column_of = {int(code): i for i, code in enumerate(wanted.tolist())}
    col_index = np.fromiter((column_of[int(c)] for c in codes), np.int64, len(codes))
    incidence = np.zeros((len(rows), len(slugs)), dtype=np.int32)
    incidence[row_index, col_index] = 1
    together = incidence.T @ incidence
    return [
        (i, j, int(together[i, j]))
        for i in range(len(slugs))
        for j in range(i + 1, len(slugs))
        if together[i, j]
    ]


def comentions_json(result: CoMentions) -> dict:
    return {
        "count": result.count,
        "tagged": result.tagged,
        "focus": result.focus,
        "entities": [
            {
                "slug": e.slug,
                "name": e.name,
                "kind": e.kind,
                "count": e.count,
                "share": round(e.share, 6),
            }
            for e in result.entities
        ],  # fmt: skip
        "edges": [
            {"a": result.entities[i].slug, "b": result.entities[j].slug, "count": n}
            for i, j, n in result.edges
        ],
    }


CSV_HEADER = ("slug", "name", "kind", "count", "share")


def comentions_csv(result: CoMentions) -> list[list]:
    return [[e.slug, e.name, e.kind, e.count, f"{e.share:.6f}"] for e in result.entities]
