"""Markdown written by users, rendered to HTML that is safe to show to anybody.

Markdown (Python-Markdown) renders; nh3 (ammonia) then keeps only an allow-list of tags and
attributes: no script, no style, no inline event handlers, no ``javascript:`` links. Links
get ``rel="noopener noreferrer"``. Raw HTML in the source goes through the same allow-list:
a ``<script>`` typed by a user is removed with its content.
"""

import html

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "sane_lists", "fenced_code"]


def render_markdown(source: str) -> SafeString:
    rendered = markdown_lib.markdown(source or "", extensions=EXTENSIONS, output_format="html")
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 — nh3 has just sanitised it


def markdown_to_text(source: str) -> str:
    """Plain text of the Markdown (for e-mails, feeds and search snippets)."""
    return html.unescape(nh3.clean(markdown_lib.markdown(source or ""), tags=set())).strip()
