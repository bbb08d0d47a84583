"""The People card: name each role placeholder once — picked from the Stakeholders tab, or typed."""

from __future__ import annotations

from collections.abc import Mapping

from mutualplan.app.sidebar_people import PeopleView
from mutualplan.web.cards import (
    Card,
    Widget,
    button,
    buttons,
    card,
    choice,
    esc,
    paragraph,
    section,
    text_input,
)

ROLES_PARAMETER = "roles"  # the roles the card showed, one a line, in the order of its fields


def people_card(view: PeopleView, urls: Mapping[str, str]) -> Card:
    """Each role the plan names instead of a person, its rows, a picker over the Stakeholders tab and a
    field to type someone else; Save writes the person into every row that holds the role."""
    back = button("Back", urls["home"])
    if not view.roles:
        return card(
            "People", section([paragraph("Every owner in the plan is a named person."), buttons(back)])
        )
    widgets: list[Widget] = [
        paragraph(
            "Name each role once: mutualplan writes the person into every row that holds it. "
            "Add people on the Stakeholders tab to pick them here."
        )
    ]
    for index, slot in enumerate(view.roles):
        items = [{"text": "Leave as it is", "value": "", "selected": not slot.suggested}]
        items += [
            {
                "text": f"{person.name} ({person.role})" if person.role else person.name,
                "value": f"{person.name} <{person.email}>",
                "selected": slot.suggested == f"{person.name} <{person.email}>",
            }
            for person in view.people
        ]
        rows = ", ".join(map(str, slot.rows[:8])) + (" …" if len(slot.rows) > 8 else "")
        widgets.append(paragraph(f"<b>{esc(slot.role)}</b> — {len(slot.rows)} rows ({esc(rows)})"))
        widgets.append(choice(f"pick_{index}", f"Who is {slot.role.strip('[]')}?", items))
        widgets.append(text_input(f"typed_{index}", "or type them", "Name <name@company.com>"))
    roles = "\n".join(slot.role for slot in view.roles)
    widgets.append(buttons(button("Save the names", urls["save_people"], **{ROLES_PARAMETER: roles}), back))
    return card("People", section(widgets, "Roles to name"))


def chosen_people(roles: str, text: Mapping[str, str], picked: Mapping[str, str]) -> dict[str, str]:
    """What the card's fields chose for each role: a typed name wins over the picker."""
    return {
        role: text.get(f"typed_{index}", "").strip() or picked.get(f"pick_{index}", "")
        for index, role in enumerate(roles.splitlines())
        if role
    }
