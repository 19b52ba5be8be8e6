"""Notes written in Markdown -> HTML that is safe to put in the tracker (SPEC 5).

Every text field is untrusted. markdown-it-py runs with raw HTML off (its `js-default`
preset shows `<script>` as text, and refuses javascript:, vbscript:, file: and data:
links, after decoding entities), then nh3 keeps only the tags a note needs and links to
http(s), mailto and relative addresses.
"""

from __future__ import annotations

import functools
import re

# A note of one line of plain words and punctuation, starting with a letter, is one
# paragraph whatever Markdown does: skip the parser (10,000 notes cost ~0.8 s through it).
# (`_` is no such word character: `_a_` is emphasis.)
_PLAIN = re.compile(r"[^\W\d_](?:[^\W_]|[ ,.;:'\"?!%/()+=-])*\Z")
# the same for ASCII text, as one class: a fifth of the time (10,000 notes; SPEC 6)
_PLAIN_ASCII = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;:'\"?!%/()+=-]*\Z")
_TAGS = {"p", "br", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "a", "del"}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_SAFE_SCHEMES = ("http:", "https:", "mailto:")


@functools.cache
def _parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    return MarkdownIt("js-default", {"linkify": False, "typographer": False}).enable(
        "strikethrough"
    )


def note_html(text: str, shortcut: bool = True) -> str:
    """A note as sanitised HTML (`shortcut`: plain one-line notes skip the parser and
    the sanitiser)."""
    import html

    import nh3

    plain = text.strip()
    # (indented by a tab or four spaces, a line is code: never the shortcut's)
    if (
        shortcut
        and not text[:1].isspace()
        and (_PLAIN_ASCII if plain.isascii() else _PLAIN).match(plain)
    ):
        # no character here is markup, or one the sanitiser would change: it would
        # return this as it is (tests hold the two paths equal)
        return f"<p>{html.escape(plain, quote=False)}</p>"
    rendered = _parser().render(text)
    return nh3.clean(
        rendered,
        tags=_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def safe_href(link: str) -> str | None:
    """A link as an href, or None when it is not http(s), mailto or relative."""
    link = link.strip()
    if not link or link.startswith("//") or "\\" in link:
        return None
    if _SCHEME.match(link):
        return link if link.lower().startswith(_SAFE_SCHEMES) else None
    return link
