"""Loading a gazetteer: entities with their English and Persian names and aliases.

Input is JSON Lines (keys `kind`, `name_en`, `name_fa`, `aliases_en`, `aliases_fa` as lists,
optional `slug`, `description`) or CSV with the same columns and aliases separated by `|`.
An entity is matched by slug, else by any of its names or aliases after normalisation, so
loading a file again updates what it loaded before and never duplicates it. Names count as
aliases. Each row is written in its own transaction.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.ingest.report import Failure
from articles.models import ArticleEntity, Entity, EntityAlias
from articles.search.sync.queue import enqueue_articles
from articles.services import entity_add_aliases, free_slug, unique_slug

KIND_SYNONYMS = {
    "organization": Entity.Kind.ORGANISATION,
    "org": Entity.Kind.ORGANISATION,
    "organisation": Entity.Kind.ORGANISATION,
    "people": Entity.Kind.PERSON,
    "location": Entity.Kind.PLACE,
    "gpe": Entity.Kind.PLACE,
    "loc": Entity.Kind.PLACE,
}
COLUMNS = ("kind", "name_en", "name_fa", "aliases_en", "aliases_fa", "slug", "description")


@dataclass
class GazetteerRow:
    origin: str
    kind: str
    name_en: str
    name_fa: str
    aliases_en: list[str]
    aliases_fa: list[str]
    slug: str = ""
    description: str = ""

    def all_aliases(self) -> list[tuple[str, str]]:
        pairs = [(self.name_en, "en"), (self.name_fa, "fa")]
        pairs += [(a, "en") for a in self.aliases_en] + [(a, "fa") for a in self.aliases_fa]
        return [(alias, language) for alias, language in pairs if alias]


@dataclass
class GazetteerReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    aliases_added: int = 0
    articles_requeued: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def lines(self) -> list[str]:
        lines = [
            "Entities:",
            f"  created: {self.created}",
            f"  updated: {self.updated}",
            f"  unchanged: {self.unchanged}",
            f"  aliases added: {self.aliases_added}",
            f"  failed: {self.failed}",
        ]
        lines += [failure.line() for failure in self.failures]
        if self.created or self.updated:
            lines.append("Run `manage.py tag_articles --all` to tag existing articles anew.")
        return lines


def import_entities(path: str | Path) -> GazetteerReport:
    """Load the gazetteer file at `path`; bad rows are reported, the others loaded."""
    report = GazetteerReport()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        report.failures.append(Failure(str(path), "no such file"))
        return report
    except (UnicodeDecodeError, IsADirectoryError) as exc:
        report.failures.append(Failure(str(path), f"not a UTF-8 text file ({exc})"))
        return report
    touched: set[int] = set()
    # One transaction for the file, one savepoint per row: a bad row is rolled back alone,
    # and a 2,000-row gazetteer does not pay for 2,000 commits.
    with transaction.atomic():
        for row in iter_rows(text, origin=str(path), report=report):
            try:
                with transaction.atomic():
                    entity_id, outcome, added = _upsert(row)
            except ValidationError as exc:
                report.failures.append(Failure(row.origin, "; ".join(exc.messages)))
                continue
            except IntegrityError as exc:
                report.failures.append(Failure(row.origin, f"could not be saved: {exc}"))
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            report.aliases_added += added
            if outcome == "updated":
                touched.add(entity_id)
    if touched:
        # Tagged articles show the entity's names, so their index entries are now stale.
        article_ids = set(
            ArticleEntity.objects.filter(entity_id__in=touched).values_list("article_id", flat=True)
        )
        report.articles_requeued = enqueue_articles(sorted(article_ids))
    return report


def iter_rows(text: str, *, origin: str, report: GazetteerReport) -> Iterator[GazetteerRow]:
    if not text.strip():
        report.failures.append(Failure(origin, "empty file"))
        return
    if "\x00" in text:
        report.failures.append(Failure(origin, "binary file, expected JSON Lines or CSV"))
        return
    if text.lstrip().startswith("{"):
        yield from _jsonl_rows(text, origin, report)
    else:
        yield from _csv_rows(text, origin, report)


def _jsonl_rows(text: str, origin: str, report: GazetteerReport) -> Iterator[GazetteerRow]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{lineno}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            report.failures.append(Failure(where, f"not JSON: {exc}"))
            continue
        if not isinstance(record, dict):
            report.failures.append(Failure(where, "not a JSON object"))
            continue
        row = _row(record, where, report)
        if row:
            yield row


def _csv_rows(text: str, origin: str, report: GazetteerReport) -> Iterator[GazetteerRow]:
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    if "name_en" not in header and "name_fa" not in header:
        report.failures.append(
            Failure(origin, f"CSV header needs name_en or name_fa; columns: {', '.join(COLUMNS)}")
        )
        return
    for record in reader:
        where = f"{origin}:{reader.line_num}"
        record = {(k or "").strip(): v for k, v in record.items()}
        for key in ("aliases_en", "aliases_fa"):
            record[key] = (record.get(key) or "").split("|")
        row = _row(record, where, report)
        if row:
            yield row


def _row(record: dict, where: str, report: GazetteerReport) -> GazetteerRow | None:
    kind = _text(record.get("kind")).lower() or Entity.Kind.OTHER
    kind = KIND_SYNONYMS.get(kind, kind)
    if kind not in Entity.Kind.values:
        report.failures.append(
            Failure(where, f"unknown kind {kind!r}; use one of {', '.join(Entity.Kind.values)}")
        )
        return None
    aliases: dict[str, list[str]] = {}
    for key in ("aliases_en", "aliases_fa"):
        value = record.get(key) or []
        if isinstance(value, str):
            value = value.split("|")
        if not isinstance(value, list):
            report.failures.append(Failure(where, f"{key} must be a list of strings"))
            return None
        aliases[key] = [a for a in (_text(v) for v in value) if a]
    row = GazetteerRow(
        origin=where,
        kind=kind,
        name_en=_text(record.get("name_en"))[:300],
        name_fa=_text(record.get("name_fa"))[:300],
        aliases_en=aliases["aliases_en"],
        aliases_fa=aliases["aliases_fa"],
        slug=_text(record.get("slug"))[:200],
        description=_text(record.get("description")),
    )
    if not (row.name_en or row.name_fa):
        report.failures.append(Failure(where, "missing name: give name_en or name_fa"))
        return None
    return row


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _find(row: GazetteerRow) -> Entity | None:
    if row.slug:
        found = Entity.objects.filter(slug=row.slug).first()
        if found:
            return found
    keys = [EntityAlias.normalized_form(alias) for alias, _language in row.all_aliases()]
    keys = [key for key in keys if key]
    for key in keys:  # names first, in the order the row gives them
        alias = EntityAlias.objects.filter(normalized=key).order_by("entity_id").first()
        if alias:
            return alias.entity
    for name in (row.name_en, row.name_fa):
        if name:
            found = (
                Entity.objects.filter(name_en__iexact=name).first()
                or Entity.objects.filter(name_fa=name).first()
            )
            if found:
                return found
    return None


def _upsert(row: GazetteerRow) -> tuple[int, str, int]:
    entity = _find(row)
    outcome = "unchanged"
    if entity is None:
        entity = Entity(
            slug=row.slug
            or free_slug(Entity, unique_slug(row.name_en or row.name_fa, max_length=190))
        )
        outcome = "created"
    before = (entity.kind, entity.name_en, entity.name_fa, entity.description)
    entity.kind = row.kind
    entity.name_en = row.name_en or entity.name_en
    entity.name_fa = row.name_fa or entity.name_fa
    entity.description = row.description or entity.description
    if outcome == "created" or before != (
        entity.kind,
        entity.name_en,
        entity.name_fa,
        entity.description,
    ):
        entity.full_clean()
        entity.save()
        outcome = "created" if outcome == "created" else "updated"
    known = set(entity.aliases.values_list("normalized", flat=True))
    added = entity_add_aliases(
        entity, row.all_aliases(), known=known, key=EntityAlias.normalized_form
    )
    if added and outcome == "unchanged":
        outcome = "updated"
    return entity.pk, outcome, added
