"""Models of the library app: the news feed (feed.py), the methodology library
(methods.py), attachments (files.py) and notifications and digest settings
(notifications.py)."""

from koblingsboks.library.models.common import Audience, Tag
from koblingsboks.library.models.feed import Comment, Post, PostRead
from koblingsboks.library.models.files import Attachment
from koblingsboks.library.models.methods import Method, MethodExperience, MethodVersion
from koblingsboks.library.models.notifications import Notification, NotificationSettings

__all__ = [
    "Attachment",
    "Audience",
    "Comment",
    "Method",
    "MethodExperience",
    "MethodVersion",
    "Notification",
    "NotificationSettings",
    "Post",
    "PostRead",
    "Tag",
]
