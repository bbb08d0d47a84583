"""What mutualplan keeps, sends and may reach, in words for the privacy page (`/privacy`).

Written down once, as data: a test holds it to the code — every table of the store, every kind of mail
and every OAuth scope the add-on and the Connect screen ask for is here, and nothing else."""

from __future__ import annotations

from mutualplan.plan.reminders.planner import ReminderKind

KEPT: dict[str, str] = {  # the store's tables → what each keeps, and why
    "plans": "each plan mutualplan follows: its spreadsheet's id, title and tabs, its owner's email, its "
    "time zone, and the signed head of its history",
    "registry": "a signed chain of which spreadsheet holds which plan, so a plan can't be swapped unseen",
    "registry_head": "the signed head of that chain",
    "events": "the plan's audit log: who confirmed, moved or proposed which date, when, and how it was "
    "verified, each line chained to the one before",
    "snapshots": "the plan as of its last syncs (the newest 20): steps, dates, owners, confirmations, and "
    "the people on its Stakeholders tab",
    "pending_syncs": "a sync waiting for the end of its window after the spreadsheet changed",
    "watch_channels": "the Drive notification channel on each plan's spreadsheet (a hash of its token only)",
    "accounts": "a seller's Connect: their email, the Google refresh token (encrypted), and whether it works",
    "reminder_settings": "each plan's reminder settings",
    "reminders": "the ledger of mail: each reminder's key, kind, recipient, sender and when it was sent, so "
    "nothing goes out twice",
    "reminder_items": "which reminders each sent message carried",
    "send_pace": "when each sender's next message may go, to keep Gmail's per-user rate",
    "unsubscribes": "addresses that asked for no more mutualplan mail",
    "plan_unsubscribes": "addresses that asked for no more mail about one plan",
    "link_generations": "the generation of each person's confirmation link: a reissued link ends the old one",
    "plan_failures": "the last failure of background work on a plan, shown to its owner until it succeeds",
    "plan_scores": "each followed plan's weekly score: its health figures as they stood that week, its "
    "status and whether its signature is supported (figures, step names and people's names; no link)",
    "pipeline_shares": "whom a seller shares their plans' health with, at their own company's domain",
    "pipeline_views": "every view of another person's plans: who looked at whose, where and when",
    "pipeline_sheets": "each Pipeline spreadsheet: whose pipeline it shows, and its time zone",
    "pipeline_mail": "the ledger of the weekly pipeline digests, so that none goes out twice",
    "crm_connections": "a seller's CRM sign-in (Salesforce or HubSpot): the refresh token (encrypted), who "
    "they are in that CRM, and whether it still works",
    "crm_links": "the opportunity or deal each plan is linked to, and what mutualplan last wrote there",
    "tasks": "background work waiting to run (which plan or owner, never a message's text)",
    "schema_version": "the store's schema version",
}

SENT: dict[ReminderKind, str] = {  # the mail mutualplan sends, each from the plan's seller's own Gmail
    ReminderKind.UPCOMING: "to a step's owners, a few days before its due date",
    ReminderKind.DUE: "to a step's owners, on its due date",
    ReminderKind.OVERDUE: "to a step's owners, then to the seller alone, while it stays overdue",
    ReminderKind.CONFIRM_REQUEST: "to the customer's champion, weekly, for the next 30 days' dates still "
    "unconfirmed; and to a customer person whose proposed date the seller answered",
    ReminderKind.VERIFY_REQUEST: "to a customer person the sheet says confirmed dates, asking them to verify",
    ReminderKind.DIGEST: "the weekly countdown, to the seller and the champion",
    ReminderKind.CONFIRMATION_VOIDED: "to a customer person whose confirmed dates were moved",
    ReminderKind.LINK: "a customer person's own confirmation link, to them alone",
    ReminderKind.PIPELINE: "the weekly pipeline digest, to a seller's manager (or the seller), from their "
    "own Gmail to themselves: figures and step names across the deals they may see, never a buyer's link",
}

SCOPES: dict[str, str] = {  # what mutualplan may reach in a Google account, and why
    "https://www.googleapis.com/auth/drive.file": "the spreadsheets you open mutualplan in, no other file",
    "https://www.googleapis.com/auth/gmail.send": "sending the mail above as you (asked only at Connect, of "
    "the seller); mutualplan cannot read your mail",
    "https://www.googleapis.com/auth/userinfo.email": "your email address, to know whose plan it is",
    "openid": "signing you in at Connect",
}

NEVER = (
    "mutualplan sets no cookies, runs no analytics and shares nothing with anyone: what it keeps stays in "
    "the deployment's own Google Cloud project, what it sends goes only from the seller's Gmail to the "
    "people the plan names, and what it writes to a CRM goes only to the seller's own, once they connect "
    "it: the plan's figures, its link and Next Step, never a buyer's link.",
    "Every email carries a one-click unsubscribe link, for that plan or for all mutualplan mail.",
    "A confirmation link reaches only its own person's inbox; it signs nobody in anywhere else.",
)
