"""Web workers share the index: segment files are read in place from the memory map that every
process maps, not copied into each process."""

from __future__ import annotations

import mmap
import os
import pickle

import pytest
from whoosh.filedb.structfile import BufferFile

from articles.search.sync import indexing
from articles.search.whoosh.mapped import MappedBufferFile
from tests.factories import make_article


@pytest.fixture
def backend(search_index, db):
    return search_index.get_backend()


def test_a_mapped_file_reads_like_whooshs_buffer_file():
    content = bytearray()
    content += b"first line\nsecond line\n"
    content += pickle.dumps({"گفت‌وگو": [1, 2, 3]})
    content += bytes([0x96, 0x01]) + (123456).to_bytes(4, "big") + b"tail"
    mapped, copied = MappedBufferFile(memoryview(bytes(content))), BufferFile(bytes(content))

    for f in (mapped, copied):
        f.seek(0)
    assert mapped.readline() == copied.readline() == b"first line\n"
    assert mapped.read(7) == copied.read(7) == b"second "
    assert mapped.tell() == copied.tell()
    mapped.seek(len(b"first line\nsecond line\n"))
    copied.seek(len(b"first line\nsecond line\n"))
    assert mapped.read_pickle() == copied.read_pickle() == {"گفت‌وگو": [1, 2, 3]}
    assert mapped.read_varint() == copied.read_varint() == 150
    assert mapped.read_uint() == copied.read_uint() == 123456
    assert mapped.read() == copied.read() == b"tail"
    assert mapped.read(3) == copied.read(3) == b""
    assert mapped.seek(-4, os.SEEK_END) == copied.seek(-4, os.SEEK_END) == len(content) - 4
    assert mapped.read() == copied.read() == b"tail"
    assert mapped.get(0, 5) == copied.get(0, 5) == b"first"
    assert list(mapped.get_array(len(content) - 8, "I", 1)) == list(
        copied.get_array(len(content) - 8, "I", 1)
    )


def test_a_searcher_reads_the_segment_files_in_place_from_the_shared_map(backend):
    for n in range(5):
        make_article(title=f"Peace talks in Doha {n}")
        make_article(language="fa", title=f"گفت‌وگوهای صلح در دوحه {n}")
    indexing.rebuild(procs=1, writers=1, backend=backend)

    query = backend.parser_for("text").parse("صلح")
    assert len(backend.raw_search(query).hits) == 5
    with backend.searcher() as searcher:
        for reader, _offset in searcher.reader().leaf_readers():
            postings = reader._terms._postfile
            assert isinstance(postings, MappedBufferFile)
            # A view of the map itself: no copy of the file's bytes in this process.
            assert isinstance(postings._buf, memoryview)
            assert isinstance(postings._buf.obj, mmap.mmap)


CHILD = """
import sys
from whoosh import index, query

if sys.argv[2] == "mapped":
    from articles.search.whoosh.mapped import share_mapped_segment_files

    share_mapped_segment_files()


def private_anonymous() -> int:
    total, anonymous = 0, False
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            head = line.split()
            if "-" in head[0] and not head[0].endswith(":"):
                anonymous = len(head) < 6 or head[5] in ("[heap]", "[stack]")
            elif anonymous and head[0] in ("Private_Dirty:", "Private_Clean:"):
                total += int(head[1]) * 1024
    return total


ix = index.open_dir(sys.argv[1])
before = private_anonymous()
searcher = ix.searcher()
hits = searcher.search(query.Term("text", "doha"), limit=5)
print(hits.scored_length(), private_anonymous() - before)
"""


@pytest.mark.slow
def test_a_search_process_reads_the_index_without_copying_it_into_its_own_memory(backend, tmp_path):
    import random
    import subprocess
    import sys
    from pathlib import Path

    from articles.models import Article
    from tests.factories import make_source

    rng = random.Random(16)
    words = [f"word{n}" for n in range(20_000)] + ["doha"] * 50
    source = make_source()
    Article.objects.bulk_create(
        Article(
            source=source,
            language="en",
            title=f"Report {n}",
            slug=f"report-{n}",
            body_text=" ".join(rng.choice(words) for _ in range(400)),
            status=Article.Status.PUBLISHED,
        )
        for n in range(2500)
    )
    indexing.rebuild(procs=2, writers=1, backend=backend)
    index_bytes = sum(p.stat().st_size for p in Path(backend.path).glob("*.seg"))
    assert index_bytes > 8 * 1024 * 1024

    def grown(mode: str) -> int:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, backend.path, mode],
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            check=True,
        )
        hits, growth = done.stdout.split()
        assert int(hits) == 5
        return int(growth)

    # Whoosh's own reader copies the segment's files into the process (the test can fail) ...
    assert grown("copied") > index_bytes // 2
    # ... ours reads them from the memory map that every process shares.
    assert grown("mapped") < index_bytes // 5
