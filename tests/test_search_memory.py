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
