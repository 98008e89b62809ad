"""Choose the search engine from one environment variable.

`NEWSARCHIVE_SEARCH_URL` empty (the default) keeps the embedded Whoosh index under the data
directory. `solr://host:8983/solr/newsarchive` (or `solr+https://…`) points Haystack's Solr
backend (our subclass, `articles.search.solr`) at a SolrCloud collection; see
docs/scale-out.md. `PATH` is then only where the local writer lock file lives.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

WHOOSH_ENGINE = "articles.search.whoosh.backend.NewsWhooshEngine"
SOLR_ENGINE = "articles.search.solr.NewsSolrEngine"


class SearchURLError(ValueError):
    pass


def haystack_connections(search_url: str, *, whoosh_path: Path) -> dict[str, dict]:
    search_url = (search_url or "").strip()
    if not search_url or search_url.startswith("whoosh:"):
        path = search_url.removeprefix("whoosh://").removeprefix("whoosh:") or str(whoosh_path)
        return {"default": {"ENGINE": WHOOSH_ENGINE, "PATH": path}}
    parts = urlsplit(search_url)
    if parts.scheme in {"solr", "solr+http", "solr+https"}:
        scheme = "https" if parts.scheme == "solr+https" else "http"
        if not parts.netloc or not parts.path.strip("/"):
            raise SearchURLError(
                f"NEWSARCHIVE_SEARCH_URL={search_url!r} needs a host and a collection path, "
                "e.g. solr://solr1:8983/solr/newsarchive"
            )
        url = urlunsplit((scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
        return {
            "default": {
                "ENGINE": SOLR_ENGINE,
                "URL": url,
                "PATH": str(Path(whoosh_path).with_name("solr")),
                "TIMEOUT": 20,
                "INCLUDE_SPELLING": True,
                "BATCH_SIZE": 500,
            }
        }
    raise SearchURLError(
        f"NEWSARCHIVE_SEARCH_URL={search_url!r}: unknown scheme {parts.scheme!r}; "
        "use an empty value (embedded Whoosh) or solr://host:port/solr/collection"
    )
