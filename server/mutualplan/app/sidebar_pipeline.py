"""The sidebar's Pipeline card: the deals the person who opened it may see, and whom they share theirs
with. Who they are is Google's word (their token), never a field of the card."""

from __future__ import annotations

from dataclasses import dataclass

from mutualplan.app.pipeline import TREND_WEEKS, Pipeline, Place, pipeline_of, share_pipeline, stop_sharing
from mutualplan.app.pipeline_picture import deals_png
from mutualplan.app.services import Services
from mutualplan.app.sidebar_views import Opening
from mutualplan.errors import SecretKeyError
from mutualplan.plan.people.confirmers import domain_of


@dataclass(frozen=True, slots=True)
class PipelineCardView:
    """What the Pipeline card shows: the deals, where each opens, and the viewer's shares both ways."""

    pipeline: Pipeline
    opens: dict[str, str]  # plan id → where its spreadsheet opens
    shared_with: tuple[str, ...]  # whom the viewer shares their plans' health with
    sharing_with_me: tuple[str, ...]  # the colleagues who share theirs with the viewer
    picture: str = ""  # the sealed link of the deals' picture ("" on a server with no secret key)

    @property
    def domain(self) -> str:
        """The viewer's domain: the only one a share may name."""
        return domain_of(self.pipeline.viewer)


def pipeline_card_view(services: Services, opening: Opening) -> PipelineCardView:
    """The Pipeline card of whoever opened the sidebar; the view of others' plans is logged."""
    viewer = services.platform.user_email(opening.token).casefold()
    store = services.store
    found = pipeline_of(store, services.config, viewer, services.now(), Place.CARD)
    opens = {deal.record.id: services.links.spreadsheet(deal.record) for deal in found.deals}
    others = tuple(owner for owner in store.sharing_with(viewer) if domain_of(owner) == domain_of(viewer))
    try:
        picture = services.links.pipeline_picture(viewer) if found.deals else ""
    except SecretKeyError:
        picture = ""
    return PipelineCardView(found, opens, tuple(store.shared_with(viewer)), others, picture)


def picture_of(services: Services, token: str, shown: int) -> bytes:
    """The picture a sealed link shows: the first deals of its viewer's pipeline as it stands now (a
    share stopped since the card was drawn is stopped here too), their rates over the weeks."""
    viewer = services.links.pipeline_viewer(token)
    found = pipeline_of(
        services.store, services.config, viewer, services.now(), Place.CARD, weeks=TREND_WEEKS
    )
    return deals_png(found.deals[:shown])


def share(services: Services, opening: Opening, viewer: str) -> str:
    """Share the opener's plans' health with a colleague at their own domain."""
    owner = services.platform.user_email(opening.token)
    return share_pipeline(services.store, owner, viewer, services.now())


def stop(services: Services, opening: Opening, viewer: str) -> str:
    """Stop sharing the opener's plans with someone, at once."""
    return stop_sharing(services.store, services.platform.user_email(opening.token), viewer)
