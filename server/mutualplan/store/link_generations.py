"""Each customer person's confirmation-link generation on a plan: a link names the generation it was
made in, and bumping it revokes every earlier link of that person."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from mutualplan.store.base import SqlBase
from mutualplan.store.schema import link_generations


class LinkGenerationTables(SqlBase):
    """Link generations."""

    def link_generation(self, plan_id: str, email: str) -> int:
        """The generation a person's links must name to be honoured (0 until first revoked)."""
        with self.engine.connect() as db:
            found = db.execute(
                select(link_generations.c.generation).where(
                    link_generations.c.plan_id == plan_id, link_generations.c.email == email.casefold()
                )
            ).scalar()
        return int(found or 0)

    def revoke_links(self, plan_id: str, email: str) -> int:
        """Revoke every link the person holds for the plan; the new generation."""
        where = (link_generations.c.plan_id == plan_id) & (link_generations.c.email == email.casefold())
        with self._transaction() as db:
            current = db.execute(select(link_generations.c.generation).where(where)).scalar()
            if current is None:
                db.execute(
                    insert(link_generations).values(plan_id=plan_id, email=email.casefold(), generation=1)
                )
                return 1
            db.execute(update(link_generations).where(where).values(generation=current + 1))
        return int(current) + 1
