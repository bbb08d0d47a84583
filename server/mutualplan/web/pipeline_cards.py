"""The Pipeline card: every deal the viewer may see, what needs attention first, each opening its
spreadsheet in one tap; and the viewer's sharing, both ways."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from mutualplan.app.pipeline import Deal
from mutualplan.app.pipeline_picture import PICTURE_ALT
from mutualplan.app.sidebar_pipeline import PipelineCardView
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.pipeline import DealStatus
from mutualplan.plan.sheet.text import plural
from mutualplan.web.cards import Card, Widget, button, buttons, card, esc, paragraph, section, text_input

SHOWN_DEALS = 25  # a card stays light; `mutualplan pipeline` and the Pipeline spreadsheet list them all
STATUS_COLOURS = {
    DealStatus.STALLED: "#b3261e",
    DealStatus.AT_RISK: "#b06000",
    DealStatus.ON_TRACK: "#137333",
}
SHARE_FIELD = "share_with"


def pipeline_card(view: PipelineCardView, urls: Mapping[str, str]) -> Card:
    """The viewer's deals, and their sharing."""
    deals = view.pipeline.deals
    widgets: list[Widget] = [_deal_widget(deal, view) for deal in deals[:SHOWN_DEALS]]
    if len(deals) > SHOWN_DEALS:
        widgets.append(
            paragraph(f"and {len(deals) - SHOWN_DEALS} more: `mutualplan pipeline` lists them all")
        )
    if not deals:
        widgets.append(paragraph("No deals yet: a plan shows here once mutualplan has synced it."))
    summary: list[Widget] = [paragraph(_summary(deals))]
    if view.picture:
        summary.append({"image": {"imageUrl": view.picture, "altText": PICTURE_ALT}})
    return card(
        "Pipeline",
        section(summary, "Deals"),
        section(widgets),
        section(_sharing_widgets(view, urls), "Sharing"),
        section([buttons(button("Back", urls["home"]))]),
    )


def _summary(deals: tuple[Deal, ...]) -> str:
    if not deals:
        return "Nothing to review."
    statuses = Counter(deal.score.status for deal in deals)
    counts = ", ".join(
        f'<font color="{STATUS_COLOURS[status]}">{statuses[status]} {status.value}</font>'
        for status in (DealStatus.STALLED, DealStatus.AT_RISK, DealStatus.ON_TRACK)
        if statuses[status]
    )
    supported = sum(1 for deal in deals if deal.supported)
    return f"{plural(len(deals), 'deal')}: {counts}. Signature supported by the buyer's word: {supported}."


def _deal_widget(deal: Deal, view: PipelineCardView) -> Widget:
    figures = deal.score.figures
    status = deal.score.status
    signature = "signature supported" if deal.supported else "signature not supported"
    whose = "" if deal.record.owner.casefold() == view.pipeline.viewer else f" · {deal.record.owner}"
    milestone = "no milestone ahead"
    if figures.next_milestone:
        when = format_day(figures.next_milestone_due) if figures.next_milestone_due else "no date"
        confirmed = "confirmed" if figures.next_milestone_confirmed else "not confirmed"
        milestone = f"next: {figures.next_milestone}, {when} ({confirmed})"
    slipped = f"{plural(figures.slips_this_week, 'slip')} this week"
    first_week = (
        " · today's figures: its first weekly score is kept on the next run" if deal.provisional else ""
    )
    coloured = f'<font color="{STATUS_COLOURS[status]}"><b>{status.value.capitalize()}</b></font>'
    why = f'<br><font color="#5f6368">{esc(deal.score.reasons[0])}</font>' if deal.score.reasons else ""
    rate = figures.confirmation_rate_30d
    confirmed_text = "nothing due in 30 days" if rate is None else f"{figures.confirmation_percent} confirmed"
    return {
        "decoratedText": {
            "topLabel": f"{signature} · {confirmed_text} {deal.trend.arrow}".rstrip() + whose,
            "text": f"{coloured} · {esc(deal.record.title)}{why}",
            "bottomLabel": f"{milestone} · {slipped}{first_week}",
            "wrapText": True,
            "onClick": {"openLink": {"url": view.opens[deal.record.id], "openAs": "FULL_SIZE"}},
        }
    }


def _sharing_widgets(view: PipelineCardView, urls: Mapping[str, str]) -> list[Widget]:
    widgets: list[Widget] = []
    if view.sharing_with_me:
        widgets.append(paragraph(f"Shared with you by {esc(', '.join(view.sharing_with_me))}."))
    if view.shared_with:
        widgets.append(paragraph(f"Your plans' health is shared with {esc(', '.join(view.shared_with))}."))
        widgets.append(
            buttons(
                *(
                    button(f"Stop sharing with {who}", urls["stop_sharing"], viewer=who)
                    for who in view.shared_with
                )
            )
        )
    hint = f"a colleague at {view.domain}, such as lead@{view.domain}"
    widgets.append(text_input(SHARE_FIELD, "Share my plans' health with", hint))
    widgets.append(buttons(button("Share", urls["share_pipeline"])))
    widgets.append(paragraph("They see figures, steps and names; never a buyer's link."))
    return widgets
