"""A post's links to an event and a project, checked through the events and projects apps.

The author's organisation may link an event it may see (one it hosts, or a network or
public event visible to it) and a project it is a party of. A reader sees a link only if
their organisation may see the event, or is a party of the project: a link never reveals
a private event or project to anybody else.
"""

from django.utils.timezone import localtime

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Organisation


def visible_event(*, event_id: int | None, organisation: Organisation):
    """The event if ``organisation`` may see it, else None."""
    if not event_id:
        return None
    from koblingsboks.events.models import Event
    from koblingsboks.events.selectors import event_visible_detail

    try:
        return event_visible_detail(pk=event_id, organisation=organisation)
    except Event.DoesNotExist:
        return None


def party_project(*, project_id: int | None, organisation: Organisation):
    """The project if ``organisation`` is a party of it, else None."""
    if not project_id:
        return None
    from koblingsboks.projects.models import Project

    with organisation_scope(organisation):
        return Project.objects.filter(pk=project_id).distinct().first()


def event_choices(*, organisation: Organisation) -> list[tuple[int, str]]:
    """Events the organisation may link a post to: upcoming first, then past ones."""
    from koblingsboks.events.selectors import CalendarFilters, event_list_visible_to

    events = event_list_visible_to(organisation=organisation, filters=CalendarFilters(when="all"))
    return [(e.pk, f"{e.title} ({localtime(e.starts_at):%d.%m.%Y})") for e in events]


def project_choices(*, organisation: Organisation) -> list[tuple[int, str]]:
    """Projects the organisation is a party of."""
    from koblingsboks.projects.models import Project

    with organisation_scope(organisation):
        return list(Project.objects.distinct().order_by("title").values_list("pk", "title"))


def links_for_reader(post, organisation: Organisation) -> dict:
    """What of the post's event and project links the reader's organisation may see."""
    return {
        "event": visible_event(event_id=post.event_id, organisation=organisation),
        "project": party_project(project_id=post.project_id, organisation=organisation),
    }
