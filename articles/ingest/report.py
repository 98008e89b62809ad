"""What an import did, as counts and one line per failure, for the command's summary."""

from __future__ import annotations

from dataclasses import dataclass, field

SHOWN_WARNINGS = 50  # a dump can warn about thousands of records; the count says how many


@dataclass
class Failure:
    origin: str  # file, file:line or URL
    reason: str  # one line

    def line(self) -> str:
        reason = " ".join(self.reason.split())
        return f"  {self.origin}: {reason}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # near- or exact duplicates of another source's article, linked
    counterparts: int = 0  # language pairs linked
    tagged: int = 0  # articles with automatic tags written
    failures: list[Failure] = field(default_factory=list)
    warning_lines: list[Failure] = field(default_factory=list)
    dry_run: bool = False
    index_skipped: bool = False
    tagging_skipped: bool = False
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def warnings(self) -> int:
        return len(self.warning_lines)

    def fail(self, origin: str, reason: str) -> None:
        self.failures.append(Failure(origin, reason))

    def warn(self, origin: str, reason: str) -> None:
        self.warning_lines.append(Failure(origin, reason))

    def lines(self) -> list[str]:
        head = "Dry run, nothing written. " if self.dry_run else ""
        rate = ""
        if self.seconds > 0:
            done = self.created + self.updated + self.unchanged
            rate = f" in {self.seconds:.1f} s ({done / self.seconds:.0f} articles/s)"
        lines = [
            f"{head}Imported{rate}:",
            f"  created: {self.created}",
            f"  updated: {self.updated}",
            f"  unchanged: {self.unchanged}",
            f"  duplicates linked: {self.duplicates}",
            f"  counterparts linked: {self.counterparts}",
            f"  auto-tagged: {self.tagged}"
            + (" (tagging skipped: --no-tag)" if self.tagging_skipped else ""),
            f"  warnings: {self.warnings}",
        ]
        lines.extend(warning.line() for warning in self.warning_lines[:SHOWN_WARNINGS])
        if self.warnings > SHOWN_WARNINGS:
            lines.append(f"  … and {self.warnings - SHOWN_WARNINGS} more warnings")
        lines.append(f"  failed: {self.failed}")
        lines.extend(failure.line() for failure in self.failures)
        if self.index_skipped:
            lines.append(
                "Search index not updated (--no-index): run `manage.py update_index` "
                "or `manage.py rebuild_index`."
            )
        return lines

    def render(self) -> str:
        return "\n".join(self.lines())
