from pathlib import Path

import pytest

from stance.errors import InputError
from stance.reader import PAD, document_from_text, read_document
from stance.sentences import parse, sentence_spans

from conftest import SEED


def sentences_of(doc):
    return [doc.text[s:e] for s, e in sentence_spans(parse(doc))]


def test_seed_offsets_and_boilerplate():
    doc = read_document(SEED)
    assert len(doc.view) == len(doc.text)
    assert doc.text == SEED.read_text(encoding="utf-8")
    sents = sentences_of(doc)
    assert not any("cookies" in s for s in sents)
    assert not any(s.startswith("Pak’s Kayani") for s in sents)  # the title
    assert not any(s.startswith("Islamabad:") for s in sents)  # the dateline is not in the sentence
    # the hard-wrapped paragraph reads as sentences across the line break
    wrapped = [s for s in sents if "political violence in the\nfinancial hub" in s]
    assert len(wrapped) == 1 and wrapped[0].endswith("Karachi.")
    assert "Army's" in doc.view and "Army`s" in doc.text


def test_byline_and_title_are_not_body():
    text = "Army rejects US findings\n\nBy Staff Reporter\n\nThe army said the report was flawed.\n\nFollow us on Twitter\n"
    doc = document_from_text(text)
    assert [text[s:e] for s, e in doc.body] == ["The army said the report was flawed."]


def test_crlf_and_tabs_keep_offsets():
    text = "Headline here\r\n\r\nThe ministry said\r\nthe routes would stay closed.\r\n"
    doc = document_from_text(text)
    (s, e), = sentence_spans(parse(doc))
    assert text[s:e] == "The ministry said\r\nthe routes would stay closed."


def test_html_article(tmp_path):
    page = ("<!doctype html><html><head><title>T</title><script>var x = '<p>no</p>';</script></head><body>"
            "<nav>Home | World</nav><h1>Army rejects findings</h1>"
            "<p>The military said the strike was &ldquo;deliberate&rdquo; and unprovoked.</p>\n"
            "<p>A US official said <b>forces</b> acted in self-defence.</p>"
            "<footer>Copyright 2011</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    sents = sentences_of(doc)
    assert len(sents) == 2
    assert sents[0].startswith("The military said")
    assert "<b>forces</b>" in sents[1]  # spans index the file's text exactly as read
    assert "“deliberate”" in doc.view.replace(PAD, "")  # a reference's padding is not read


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"\x00\x01\x02binary", "binary file"),
    (b"caf\xe9 au lait said the man.", "not UTF-8"),
    (b"<html><body><nav>Home</nav><script>x()</script></body></html>", "no article text"),
])
def test_bad_files(tmp_path, content, message):
    path = tmp_path / ("bad.html" if content.startswith(b"<html") else "bad.txt")
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
