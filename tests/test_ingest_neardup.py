"""Near-duplicate signatures and the LSH index."""

from __future__ import annotations

from articles.ingest.neardup import THRESHOLD, NearDupIndex, signature, similarity

STORY = (
    "Heavy snow closed the Salang pass on Tuesday, stranding hundreds of travellers on both "
    "sides of the tunnel for most of the day. Officials of the public works ministry said "
    "snow ploughs worked through the night to clear the road, which links Kabul with the "
    "northern provinces. Travellers complained of the cold and of a lack of food, and asked "
    "the government to prepare better for the winter. The weather office expects more snow "
    "in the coming days and asked drivers to travel with care."
)
EDITED = (
    STORY.replace("Tuesday", "Wednesday").replace("hundreds", "thousands")
    + " The road reopened late in the evening."
)
OTHER = (
    "Officials in Herat said on Monday that twelve new schools will open before the start of "
    "the school year, with places for more than six thousand pupils. The education department "
    "said teachers had been hired and textbooks were on their way from Kabul, while parents "
    "asked for better heating in the classrooms during the cold months."
)


def test_signature_is_compact_bytes_and_deterministic() -> None:
    sig = signature(STORY)
    assert isinstance(sig, bytes) and len(sig) == 512
    assert signature(STORY) == sig


def test_edited_copy_scores_above_and_other_story_below_the_threshold() -> None:
    assert similarity(signature(STORY), signature(STORY)) == 1.0
    assert similarity(signature(STORY), signature(EDITED)) >= THRESHOLD
    assert similarity(signature(STORY), signature(OTHER)) < 0.2


def test_index_finds_the_original_for_an_edited_copy() -> None:
    index = NearDupIndex()
    index.add("story", signature(STORY))
    index.add("other", signature(OTHER))
    hits = index.query(signature(EDITED))
    assert [key for key, _ in hits] == ["story"]
    assert hits[0][1] >= THRESHOLD
    assert len(index) == 2 and "story" in index


def test_re_adding_a_key_replaces_its_signature() -> None:
    index = NearDupIndex()
    index.add("k", signature(STORY))
    index.add("k", signature(OTHER))
    assert index.query(signature(STORY)) == []
    assert [key for key, _ in index.query(signature(OTHER))] == ["k"]


def test_signatures_stored_as_lists_still_compare() -> None:
    sig = signature(STORY)
    as_list = list(memoryview(sig).cast("I"))
    assert similarity(as_list, sig) == 1.0
