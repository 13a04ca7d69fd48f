"""The Atom feed of a network's public posts (no sign-in)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from koblingsboks.core.markdown import render_markdown
from koblingsboks.library import sharing
from koblingsboks.network.models import Network

ITEMS = 30


class NetworkPublicFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            raise Http404
        return network

    def title(self, network):
        return _("News from %s") % network.name

    def link(self, network):
        return reverse("library:network-feed", kwargs={"slug": network.slug})

    def subtitle(self, network):
        return _("Public posts of the network %s") % network.name

    def items(self, network):
        return (
            sharing.public_posts_of_network(network_id=network.pk)
            .select_related("organisation", "author")
            .prefetch_related("tags")
            .order_by("-created_at")[:ITEMS]
        )

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return str(render_markdown(post.body))

    def item_link(self, post):
        return reverse("library:post-detail", kwargs={"pk": post.pk})

    def item_guid(self, post):
        return f"koblingsboks:post:{post.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, post):
        return post.created_at

    def item_updateddate(self, post):
        return post.edited_at or post.created_at

    def item_author_name(self, post):
        return post.organisation.name

    def item_categories(self, post):
        return [tag.name for tag in post.tags.all()]
