from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "koblingsboks.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self):
        from koblingsboks.core.audit_display import register_action_labels

        register_action_labels(
            {
                "library.post.created": _("Post published"),
                "library.post.updated": _("Post changed"),
                "library.post.deleted": _("Post deleted"),
                "library.post.pinned": _("Post pinned"),
                "library.post.unpinned": _("Post unpinned"),
                "library.comment.created": _("Comment written"),
                "library.comment.updated": _("Comment changed"),
                "library.comment.deleted": _("Comment deleted"),
                "library.method.created": _("Method added to the library"),
                "library.method.updated": _("Method changed"),
                "library.method.experience_added": _("Experience with a method added"),
                "library.method.experience_changed": _("Experience with a method changed"),
            }
        )
