"""stance.brat: brat standoff attribution files into stance records."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from stance.brat import BratWarning, pair_files, parse_ann, read_ann, read_claims, to_claims

POLNEAR = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "polnear"

TEXT = 'The army said "the posts were not firing," adding that the strike, it said, was deliberate.\n'
ANN = "\n".join([
    "T1\tSource 0 8\tThe army",
    "T2\tCue 9 13\tsaid",
    'T3\tContent 14 42\t"the posts were not firing,"',
    "T4\tAttribution 9 13\tsaid",
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    "T5\tCue 43 49\tadding",
    "T6\tContent 50 65;76 90\tthat the strike was deliberate",
    "T7\tAttribution 43 49\tadding",
    "E2\tAttribution:T7 Content:T6 Cue:T5",
    "#1\tAnnotatorNotes T6\ta note",
    "a line that runs on from the previous one",
    "T8\tCue 500 510\tbeyond the text",
    "E3\tAttribution:T9 Cue:T99",
])


def test_parse_ann_spans_events_and_pieces():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        doc = parse_ann(ANN, TEXT, doc_id="x")
    assert len(doc.attributions) == 2
    first, second = doc.attributions
    assert TEXT[slice(*first.source.pieces[0])] == "The army"
    assert TEXT[slice(*first.cue.pieces[0])] == "said"
    assert second.source is None
    assert [TEXT[a:b] for a, b in second.contents[0].pieces] == ["that the strike", "was deliberate"]
    # the run-on line, the out-of-range span and the event naming unknown ids: skipped, with warnings
    assert [p.split(": ")[0] for p in doc.problems] == ["x:11", "x:12", "x:13", "x:13"]
    assert all(issubclass(w.category, BratWarning) for w in caught) and len(caught) == 4
    assert doc.role_pieces("Content") == [(14, 42), (50, 65), (76, 90)]


def test_to_claims_keeps_discontinuous_pieces():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        claims = to_claims(parse_ann(ANN, TEXT, doc_id="x"))
    assert [c.id for c in claims] == ["x-1", "x-2"]
    direct, indirect = claims
    assert direct.kind == "direct" and direct.speaker == "The army" and direct.cue == "said"
    assert direct.claim == '"the posts were not firing,"' and direct.claim_span == (14, 42)
    assert indirect.speaker == "" and indirect.speaker_span is None
    assert indirect.extra["claim_pieces"] == [[50, 65], [76, 90]]
    assert indirect.claim_span == (50, 90)
    assert indirect.claim in indirect.sentence
    assert indirect.sentence == TEXT.rstrip("\n")


def test_folder_pairs_one_annotator_per_article(tmp_path):
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "story.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "story_ef2d.ann").write_text("\n".join(ANN.splitlines()[:5]), encoding="utf-8")
    (tmp_path / "attributions" / "story_4b22.ann").write_text("\n".join(ANN.splitlines()[5:9]), encoding="utf-8")
    pairs = pair_files(tmp_path)
    assert [(a.name, t.name) for a, t in pairs] == [("story_4b22.ann", "story.txt")]
    doc = read_ann(*pairs[0])
    assert doc.doc_id == "story" and doc.annotator == "4b22"
    assert [c.cue for c in read_claims(tmp_path)] == ["adding"]


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="PolNeAR is not in ../shared")
def test_polnear_files_read_without_error():
    pairs = pair_files(POLNEAR / "dev")[:5]
    assert len(pairs) == 5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ann, txt in pairs:
            doc = read_ann(ann, txt)
            assert doc.attributions
            for claim in to_claims(doc):
                for start, end in claim.extra["claim_pieces"]:
                    assert 0 <= start < end <= len(doc.text)
                assert claim.claim == doc.text[claim.claim_span[0]:claim.claim_span[1]]
                assert claim.claim in claim.sentence
