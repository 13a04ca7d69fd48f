"""One way to paginate every list page."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, items, *, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; an out-of-range or malformed ``page`` gives the nearest valid page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
