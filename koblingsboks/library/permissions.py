"""Who may do what in the library. Plain predicates over a membership (or None)."""

from koblingsboks.network.models import Membership, Role
from koblingsboks.network.permissions import can_write


def can_publish(membership: Membership | None) -> bool:
    """Observers read; every other role may post, comment and add methods."""
    return can_write(membership)


def can_change_post(membership: Membership | None, post) -> bool:
    """The author, or an administrator of the post's organisation."""
    if membership is None or membership.organisation_id != post.organisation_id:
        return False
    return post.author_id == membership.user_id or membership.role == Role.ADMIN


def can_change_comment(user, comment) -> bool:
    """Only the author edits or deletes a comment."""
    return user is not None and user.is_authenticated and comment.author_id == user.pk


def can_edit_method(membership: Membership | None, method) -> bool:
    """Any member of the owner organisation who is not an observer."""
    return (
        membership is not None
        and membership.organisation_id == method.organisation_id
        and can_write(membership)
    )
