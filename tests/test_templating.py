"""HTML comes from Jinja2 templates with autoescape: article text and labels never become markup."""

from __future__ import annotations

from stance.formats import articles_html
from stance.reader import document_from_text
from stance.records import ArticleResult, Claim, SentenceResult

TEXT = 'The <script>alert(1)</script> "army" said the posts & the ridge fired first.\n'


def test_score_page_escapes_the_article_and_the_labels():
    document = document_from_text(TEXT, "a<b")
    start = TEXT.index("the posts")
    claim = Claim(id="c1", doc_id="a<b", sentence=TEXT.strip(), claim=TEXT[start:-2], speaker='"army"',
                  speaker_group="pakistan_military", stance="pakistan_military", claim_span=(start, len(TEXT) - 2),
                  speaker_span=(TEXT.index('"army"'), TEXT.index('"army"') + 6),
                  stance_scores={"pakistan_military": 0.9, "us": 0.1}, speaker_group_scores={"pakistan_military": 1.0})
    result = ArticleResult(document, [claim], [SentenceResult(0, (0, len(TEXT) - 1), TEXT.strip(), [claim])])
    page = articles_html([result], {"stance": ["us", "pakistan_military"]}, title="stance: <i>x</i>")
    assert "<script>" not in page and "&lt;script&gt;" in page and "<i>" not in page
    assert "<h2>a&lt;b</h2>" in page and "the posts &amp; the ridge fired first" in page
    assert page.count("<mark") == 1 and "<span class=speaker>&#34;army&#34;</span>" in page
    assert 'title="speaker: &#34;army&#34;' in page  # the tooltip, an attribute, is escaped too
