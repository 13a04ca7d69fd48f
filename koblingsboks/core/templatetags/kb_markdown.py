from django import template

from koblingsboks.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(source):
    """``{{ event.description|markdown }}``: sanitised HTML (core/markdown.py)."""
    return render_markdown(source)
