"""The sidebar's Pipeline card: the deals the person who opened it may see, and whom they share theirs
with. Who they are is Google's word (their token), never a field of the card."""

from __future__ import annotations

from dataclasses import dataclass

from mutualplan.app.pipeline import Pipeline, Place, pipeline_of, share_pipeline, stop_sharing
from mutualplan.app.services import Services
from mutualplan.app.sidebar_views import Opening
from mutualplan.plan.confirmers import domain_of


@dataclass(frozen=True, slots=True)
class PipelineCardView:
    """What the Pipeline card shows: the deals, where each opens, and the viewer's shares both ways."""

    pipeline: Pipeline
    opens: dict[str, str]  # plan id → where its spreadsheet opens
    shared_with: tuple[str, ...]  # whom the viewer shares their plans' health with
    sharing_with_me: tuple[str, ...]  # the colleagues who share theirs with the viewer

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
    return PipelineCardView(found, opens, tuple(store.shared_with(viewer)), others)


def share(services: Services, opening: Opening, viewer: str) -> str:
    """Share the opener's plans' health with a colleague at their own domain."""
    owner = services.platform.user_email(opening.token)
    return share_pipeline(services.store, owner, viewer, services.now())


def stop(services: Services, opening: Opening, viewer: str) -> str:
    """Stop sharing the opener's plans with someone, at once."""
    return stop_sharing(services.store, services.platform.user_email(opening.token), viewer)
