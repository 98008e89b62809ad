"""Near-duplicates in result lists: copies of one story (`Article.duplicate_of`, set at import)
are folded under the first of them on a page, and a result count says how many distinct
stories the matches hold."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from articles.models import Article


def duplicate_roots(article_ids: list[int] | None = None) -> dict[int, int]:
    """{copy id: original id} for published copies (chains followed to their first article);
    limited to `article_ids` (and their originals) when given."""
    # `duplicate_of > 0` reads the few copies through the column's index; asked together with
    # the status, SQLite walks the status index over every published article (~100 ms at 100k).
    rows = Article.objects.filter(duplicate_of__gt=0)
    if article_ids is not None:
        rows = rows.filter(pk__in=article_ids)
    published = Article.Status.PUBLISHED
    parent = {
        pk: original
        for pk, original, status in rows.values_list("pk", "duplicate_of_id", "status")
        if status == published
    }
    roots = {}
    for copy in parent:
        root, seen = parent[copy], {copy}
        while root in parent and root not in seen:
            seen.add(root)
            root = parent[root]
        roots[copy] = root
    return roots


def distinct_count(columns, docnums: np.ndarray, roots: dict[int, int] | None = None) -> int:
    """Distinct stories among matching documents: copies of one original count once
    (`roots`: `duplicate_roots()` when the caller has it already)."""
    if not len(docnums):
        return 0
    roots = duplicate_roots() if roots is None else roots
    ids = columns.single("article_id")[docnums]
    if not roots:
        return len(np.unique(ids))
    copies = np.fromiter(roots.keys(), np.int64, len(roots))
    originals = np.fromiter(roots.values(), np.int64, len(roots))
    order = np.argsort(copies)
    copies, originals = copies[order], originals[order]
    where = np.clip(np.searchsorted(copies, ids), 0, len(copies) - 1)
    is_copy = copies[where] == ids
    story = np.where(is_copy, originals[where], ids)
    return len(np.unique(story))


@dataclass
class Group:
    hit: object  # the first hit of the story on the page
    copies: list = field(default_factory=list)


def collapse(hits: list, roots: dict[int, int] | None = None) -> list[Group]:
    """The page's hits, copies of a story folded under its first hit on the page (`roots`:
    `duplicate_roots()` when the caller has it already)."""
    if roots is None:
        roots = duplicate_roots([hit.article_id for hit in hits])
    groups: dict[int, Group] = {}
    out: list[Group] = []
    for hit in hits:
        story = roots.get(hit.article_id, hit.article_id)
        group = groups.get(story)
        if group is None:
            group = groups[story] = Group(hit)
            out.append(group)
        else:
            group.copies.append(hit)
    return out
