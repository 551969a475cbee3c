"""Fuzzing the reader and the whole ``claims`` path with hypothesis.

Random bytes and random Unicode (and random mixes of the things articles are
made of: quotes, cues, line breaks, markup, character references, control
characters) never raise anything but the documented ``InputError``, and every
span of every claim indexes the text exactly: ``text[start:end]`` is the
reported string (for an HTML page, the string a browser shows for it,
``reader.span_text``). Derandomised, with no example database, so CI runs
the same examples every time.
"""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.errors import InputError
from stance.io import read_claims
from stance.pipeline import extract_documents
from stance.reader import read_document, span_text

from fault_fixtures import cli

FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

PIECES = ["The", "army", "said", "that", "the", "strike", "was", "deliberate", "officials", "told", "reporters",
          "according to", "He", "she", "it", "claimed", "denied", "rejected", "called for", "a spokesman",
          "Gen. Allen", "US", "Pakistan's", "ISPR", ",", ".", ":", ";", "?", "!", "—", "-", "(", ")",
          '"', "“", "”", "‘", "’", "'", "«", "»", "`", "\n", "\n\n", "\r\n", "\t", "\x0b", "\x0c", "\x1b",
          "\u200b", "\ufeff", "\xa0", "&#8217;", "&#x2014;", "&amp;", "&ldquo;", "&rdquo;", "&nosuch;", "&",
          "<p>", "</p>", "<em>", "</em>", "<br>", "<script>", "</script>", "<!--", "-->", "<", ">",
          "é", "ß", "ı", "İ", "ﬁ", "Ⅻ", "𝔸", "😀", "中文", "اردو", "Русский", "\u0301", "\u202e"]
article_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(PIECES), max_size=120).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=120).map("".join),
)


def one_line_naming(err, path) -> bool:
    """``path: problem`` or ``path:line: problem``, on one line."""
    return re.match(re.escape(str(path)) + r"(:\d+)?: \S", str(err)) is not None and "\n" not in str(err)


def check_claims(document) -> None:
    """Every span inside the text, and its text the reported string."""
    text = document.text
    for c in extract_documents([document])[0].claims:
        for span, string in ((c.claim_span, c.claim), (c.speaker_span, c.speaker), (c.cue_span, c.cue),
                             (c.sentence_span, c.sentence)):
            if span is None:
                continue
            start, end = span
            assert 0 <= start <= end <= len(text), (span, len(text))
            shown = span_text(document, start, end)
            assert shown == string, (span, shown, string)
            if not document.html:
                assert text[start:end] == string
        assert c.sentence_span[0] <= c.claim_span[0] and c.claim_span[1] <= c.sentence_span[1]


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html"]))
def test_reader_and_claims_on_random_bytes(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"x{suffix}"
    path.write_bytes(data)
    try:
        document = read_document(path)
    except InputError as err:
        assert one_line_naming(err, path)
        return
    assert len(document.view) == len(document.text) == len(data.decode("utf-8"))
    check_claims(document)


@FUZZ
@given(text=article_text, suffix=st.sampled_from([".txt", ".html"]))
def test_claims_path_on_random_unicode(tmp_path_factory, text, suffix):
    path = tmp_path_factory.mktemp("text") / f"x{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        document = read_document(path)
    except InputError as err:
        assert one_line_naming(err, path)
        return
    assert document.text == path.read_bytes().decode("utf-8")
    check_claims(document)


@settings(FUZZ, max_examples=40)
@given(text=article_text)
def test_claims_command_on_random_unicode(tmp_path_factory, capsys, text):
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "x.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code, out, err = cli(capsys, "claims", path, "--format", "jsonl")
    assert code in (0, 2)
    if code == 2:
        assert len(err) == 1 and one_line_naming(err[0].removeprefix("stance: "), path), err
        return
    assert err == []
    for row in map(json.loads, out.splitlines()):
        start, end = row["claim_span"]
        assert text[start:end] == row["claim"]


@FUZZ
@given(lines=st.lists(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                                st.sampled_from([b'{"id": "1", "sentence": "a b", "claim": "b", "speaker": "x"}',
                                                 b"{}", b"[]", b"null", b'{"id": 1}', b"\xef\xbb\xbf{"])),
                      max_size=8))
def test_jsonl_reader_on_random_lines(tmp_path_factory, dispute, lines):
    path = tmp_path_factory.mktemp("jsonl") / "x.jsonl"
    path.write_bytes(b"\n".join(lines))
    reported = []
    claims = read_claims([path], dispute, on_error=reported.append)
    assert all(isinstance(e, InputError) and str(e).startswith(f"{path}") for e in reported)
    assert claims or reported
    try:
        read_claims([path], dispute)
    except InputError:
        pass
