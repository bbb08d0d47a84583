"""Sending reminders from the store: at most once, through crashes, within the cap, stopping a sender whose
permission or grant is gone, in each spreadsheet's time zone — BAD_INPUTS 21 and 23–26."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from PIL import Image

from mutualplan.app.days import local_day
from mutualplan.app.mail import PICTURE_ID
from mutualplan.app.records import AccountRecord, AccountStatus, PlanRecord, ReminderClaim, WorkbookKind
from mutualplan.app.remind import Remind, RemindReport
from mutualplan.errors import GoogleApiError, GrantRevokedError
from mutualplan.plan.history.diff import diff
from mutualplan.plan.reminders.settings import ReminderSettings
from mutualplan.plan.sheet.grid import grid_of
from mutualplan.plan.sheet.parse import parse
from mutualplan.store.sql import SqlStore
from tests.fake_mailer import FakeMailer
from tests.fleet_world import Killed
from tests.support import Row, confirmers_ticked, healthy_rows, sheet

SELLER = "sam@vendor.io"
DUE_DAY = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # S1 is due on 27 Nov 2026
QUIET = ReminderSettings(champion=False, digest=False)


def store_plan(
    store: SqlStore,
    rows: list[Row] | None = None,
    time_zone: str = "UTC",
    plan_id: str = "plan-1",
    champion: str = "jane@acme.com",
    owner: str = SELLER,
) -> None:
    """A plan in the store, synced once, reminding row owners only."""
    record = PlanRecord(
        plan_id, f"sheet-{plan_id}", WorkbookKind.GOOGLE, owner, "Acme", DUE_DAY, time_zone=time_zone
    )
    store.add_plan(record)
    stakeholders = grid_of(
        [["Name", "Email", "Side", "Role"], ["Jane Doe", champion, "Customer", "Champion"]]
    )
    plan = parse(sheet(rows or healthy_rows()), stakeholders=stakeholders).plan
    snapshot = diff(None, plan, confirmers_ticked(plan)).snapshot
    store.record_sync(plan_id, 0, snapshot, [], DUE_DAY)
    store.save_reminder_settings(plan_id, QUIET)


def run(
    store: SqlStore, mailer: FakeMailer, now: datetime = DUE_DAY, cap: int = 1500, recipients: int = 0
) -> RemindReport:
    stop = "https://mp.example/u?{}&{}".format
    remind = Remind(store, lambda sender: mailer, stop, now, cap, plan_recipients=recipients)
    return remind.run(store.plans())


def claimed(store: SqlStore) -> frozenset[str]:
    """The ledger's keys for the plan."""
    return frozenset(found.claimed) if (found := store.plan_input("plan-1")) else frozenset()


def sent_to(report: RemindReport) -> list[tuple[str, str, str | None]]:
    return [(item["kind"], item["to"], item["row"]) for item in report.sent]


def test_each_reminder_goes_out_once_however_often_the_job_runs(sqlite_store: SqlStore) -> None:
    store_plan(sqlite_store)
    mailer = FakeMailer()
    first = run(sqlite_store, mailer)
    assert sent_to(first) == [("due", "sam@vendor.io", "S1"), ("due", "jane@acme.com", "S1")]  # seller first
    again = run(sqlite_store, mailer, DUE_DAY + timedelta(hours=3))
    assert again.sent == []
    assert {item["why"] for item in again.skipped if item["row"] == "S1"} == {"already sent"}
    assert len(mailer.sent) == 2


def test_a_crash_after_the_send_and_before_the_ledger_write_never_sends_again(
    sqlite_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_plan(sqlite_store)
    mailer = FakeMailer()

    def die(key: str, sent_at: datetime | None) -> None:
        raise Killed("the process died after sending")

    with monkeypatch.context() as patched:
        patched.setattr(sqlite_store, "finish_reminder", die)
        with pytest.raises(Killed):
            run(sqlite_store, mailer)
    assert len(mailer.sent) == 1
    later = run(sqlite_store, mailer, DUE_DAY + timedelta(hours=1))
    assert later.unknown == ["plan-1|sam@vendor.io|2026-11-27|day"]  # the day's message to the seller
    assert [item["to"] for item in later.sent] == ["jane@acme.com"]  # the one never tried
    assert [str(message["To"]) for message in mailer.sent].count("Sam Lee <sam@vendor.io>") == 1


def test_a_crash_before_the_send_is_unknown_and_not_sent_by_itself(sqlite_store: SqlStore) -> None:
    store_plan(sqlite_store)
    mailer = FakeMailer()

    class Dies(FakeMailer):
        def send(self, message: object) -> None:
            raise Killed("the process died before sending")

    with pytest.raises(Killed):
        Remind(sqlite_store, lambda sender: Dies(), lambda email, plan: "u", DUE_DAY).run(
            sqlite_store.plans()
        )
    later = run(sqlite_store, mailer, DUE_DAY + timedelta(hours=1))
    assert later.unknown == ["plan-1|sam@vendor.io|2026-11-27|day"]
    assert [item["to"] for item in later.sent] == ["jane@acme.com"]
    again = run(sqlite_store, mailer, DUE_DAY + timedelta(hours=2))
    said = {item["to"]: item["why"] for item in again.skipped}
    assert said["sam@vendor.io"].startswith("unknown: a run stopped between claiming and sending it")
    assert said["jane@acme.com"] == "already sent"


def test_the_daily_cap_stops_a_sender_and_is_reported(sqlite_store: SqlStore) -> None:
    rows = healthy_rows()
    rows[0]["Vendor owner"] = "Sam Lee <sam@vendor.io>, Mia Park <mia@vendor.io>, Kai Ito <kai@vendor.io>"
    store_plan(sqlite_store, rows)
    mailer = FakeMailer()
    report = run(sqlite_store, mailer, cap=3)
    assert len(mailer.sent) == 3
    capped = [item for item in report.skipped if "daily cap" in item["why"]]
    assert [item["why"] for item in capped] == ["sam@vendor.io reached the daily cap of 3 messages"]


def test_the_owners_daily_cap_is_shared_so_one_hostile_plan_starves_none_of_the_others(
    sqlite_store: SqlStore,
) -> None:
    hostile = healthy_rows()
    hostile[0]["Vendor owner"] = ", ".join(f"Person {n} <p{n}@vendor.io>" for n in range(40))
    store_plan(sqlite_store, hostile, plan_id="plan-0")
    store_plan(sqlite_store, plan_id="plan-1")
    mailer = FakeMailer()
    report = run(sqlite_store, mailer, cap=20, recipients=100)
    by_plan = Counter(item["plan"] for item in report.sent)
    assert by_plan == {"plan-0": 10, "plan-1": 2}  # each plan's share is half the cap
    shared = {item["why"] for item in report.skipped if item["plan"] == "plan-0" and item["row"] == "S1"}
    assert shared == {"over this plan's share of sam@vendor.io's daily cap (10 messages a day)"}


def test_a_rate_limit_failure_gives_the_claim_back_and_the_next_run_sends_it(sqlite_store: SqlStore) -> None:
    store_plan(sqlite_store)
    mailer = FakeMailer(
        failures=[GoogleApiError("Gmail is rate-limiting mutualplan", 429, "rateLimitExceeded")]
    )
    report = run(sqlite_store, mailer)
    assert [item["to"] for item in report.sent] == ["jane@acme.com"]  # the seller's, first, was refused
    assert [item["to"] for item in run(sqlite_store, mailer, DUE_DAY + timedelta(hours=1)).sent] == [
        "sam@vendor.io"
    ]


@pytest.mark.parametrize(
    "failure",
    [
        GoogleApiError("no access", 403, "insufficientPermissions"),
        GrantRevokedError("Google no longer accepts this account's authorisation", 401, "invalid_grant"),
    ],
)
def test_a_missing_permission_or_a_revoked_grant_stops_the_sender_and_flags_the_account(
    sqlite_store: SqlStore, failure: GoogleApiError
) -> None:
    store_plan(sqlite_store)
    sqlite_store.save_account(AccountRecord(SELLER, "sealed", AccountStatus.CONNECTED, DUE_DAY))
    mailer = FakeMailer(failures=[failure])
    report = run(sqlite_store, mailer)
    assert report.sent == []
    assert all("sam@vendor.io can't send" in item["why"] for item in report.skipped if item["row"] == "S1")
    account = sqlite_store.account(SELLER)
    assert account is not None
    assert account.status == AccountStatus.RECONNECT
    assert claimed(sqlite_store) == frozenset()  # nothing went out: nothing is claimed


def test_no_answer_from_gmail_keeps_the_claim_so_it_is_never_sent_twice(sqlite_store: SqlStore) -> None:
    store_plan(sqlite_store)
    mailer = FakeMailer(failures=[GoogleApiError("Gmail did not answer (timeout)", 0, "timeout")])
    report = run(sqlite_store, mailer)
    assert "never retried" in next(item["why"] for item in report.skipped if item["to"] == SELLER)
    again = run(sqlite_store, mailer, DUE_DAY + timedelta(hours=1))
    assert SELLER not in [item["to"] for item in again.sent]


def test_an_unsubscribed_person_is_never_mailed_again(sqlite_store: SqlStore) -> None:
    store_plan(sqlite_store)
    sqlite_store.unsubscribe("JANE@acme.com", DUE_DAY)
    report = run(sqlite_store, FakeMailer())
    assert [item["to"] for item in report.sent] == ["sam@vendor.io"]
    assert ("jane@acme.com", "unsubscribed") in {(item["to"], item["why"]) for item in report.skipped}


def test_stopping_one_plans_reminders_leaves_the_other_plans_mail(sqlite_store: SqlStore) -> None:
    store_plan(sqlite_store)
    store_plan(sqlite_store, plan_id="plan-2")
    sqlite_store.unsubscribe("jane@acme.com", DUE_DAY, "plan-1")
    report = run(sqlite_store, FakeMailer())
    to_jane = {item["plan"] for item in report.sent if item["to"] == "jane@acme.com"}
    assert to_jane == {"plan-2"}


def test_a_row_with_101_owners_makes_101_messages_of_one_recipient_each(sqlite_store: SqlStore) -> None:
    rows = healthy_rows()
    rows[0]["Vendor owner"] = ", ".join(f"Person {n} <p{n}@vendor.io>" for n in range(101))
    store_plan(sqlite_store, rows)
    mailer = FakeMailer()
    run(sqlite_store, mailer, recipients=200)
    vendor = [message for message in mailer.sent if "@vendor.io" in str(message["To"])]
    assert len(vendor) == 101
    assert all("," not in str(message["To"]) for message in vendor)


def test_a_plan_mails_at_most_its_recipients_a_day_the_seller_and_the_customer_first(
    sqlite_store: SqlStore,
) -> None:
    rows = healthy_rows()
    many = ", ".join(f"Person {n} <p{n}@vendor.io>" for n in range(101))
    rows[0]["Vendor owner"] = f"Sam Lee <sam@vendor.io>, {many}"
    store_plan(sqlite_store, rows)  # one person on its Stakeholders tab: 10 recipients a day
    mailer = FakeMailer()
    report = run(sqlite_store, mailer)
    assert len(mailer.sent) == 10
    assert [str(message["To"]) for message in mailer.sent[:2]] == [
        "Sam Lee <sam@vendor.io>",
        "Jane Doe <jane@acme.com>",
    ]
    over = [item for item in report.skipped if item["row"] == "S1" and "recipients a day" in item["why"]]
    assert len(over) == 93  # 101 vendor people, less the eight mailed
    why = "over this plan's 10 recipients a day (MUTUALPLAN_PLAN_RECIPIENTS_PER_DAY)"
    assert {item["why"] for item in over} == {why}
    told = mailer.sent[0].get_body(("plain",))
    assert told is not None
    assert f"Not mailed today, over this plan's limits:\n• 93 people: {why}" in told.get_content()


def test_a_plans_recipients_a_day_are_counted_over_its_own_local_day_not_the_last_24_hours(
    sqlite_store: SqlStore,
) -> None:
    store_plan(sqlite_store, time_zone="Asia/Tokyo")
    evening_before = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # 19:00 on 26 Nov in Tokyo
    for n in range(10):  # yesterday's ten recipients: the plan's most a day, below
        key = f"plan-1|p{n}@acme.com|2026-11-26"
        claim = ReminderClaim(key, "plan-1", "due", f"p{n}@acme.com", SELLER, evening_before, (key,))
        assert sqlite_store.claim_reminder(claim)
        sqlite_store.finish_reminder(key, evening_before)
    eight_in_tokyo = datetime(2026, 11, 26, 23, 0, tzinfo=UTC)  # 08:00 on 27 Nov, 13 hours later
    report = run(sqlite_store, FakeMailer(), eight_in_tokyo, recipients=10)
    assert sent_to(report) == [("due", "sam@vendor.io", "S1"), ("due", "jane@acme.com", "S1")]


def test_due_tomorrow_is_told_by_the_spreadsheets_time_zone(sqlite_store: SqlStore) -> None:
    store_plan(sqlite_store, time_zone="America/Los_Angeles")
    late_evening_in_la = datetime(2026, 11, 27, 7, 30, tzinfo=UTC)  # 23:30 on 26 Nov in Los Angeles
    report = run(sqlite_store, FakeMailer(), late_evening_in_la)
    assert {item["kind"] for item in report.sent if item["row"] == "S1"} == {"upcoming"}
    assert (
        report.sent[0]["subject"]
        == "Acme — Acme — analytics platform: due in 1 day — POC success criteria agreed"
    )


@pytest.mark.parametrize(
    ("moment", "zone", "day"),
    [
        (
            datetime(2027, 3, 27, 23, 30, tzinfo=UTC),
            "Europe/London",
            date(2027, 3, 27),
        ),  # GMT, the night before
        (datetime(2027, 3, 28, 23, 30, tzinfo=UTC), "Europe/London", date(2027, 3, 29)),  # BST from 28 Mar
        (datetime(2026, 11, 1, 8, 30, tzinfo=UTC), "America/New_York", date(2026, 11, 1)),  # 03:30 EST
        (datetime(2026, 11, 1, 3, 30, tzinfo=UTC), "America/New_York", date(2026, 10, 31)),  # 23:30 EDT
        (datetime(2026, 11, 1, 3, 30, tzinfo=UTC), "Mars/Olympus", date(2026, 11, 1)),  # unknown: UTC
    ],
)
def test_today_is_the_date_in_the_spreadsheets_zone_across_daylight_saving(
    moment: datetime, zone: str, day: date
) -> None:
    assert local_day(moment, zone) == day


def test_a_plan_never_synced_is_left_alone(sqlite_store: SqlStore) -> None:
    sqlite_store.add_plan(PlanRecord("plan-new", "sheet", WorkbookKind.GOOGLE, SELLER, "New", DUE_DAY))
    assert run(sqlite_store, FakeMailer()).as_json() == {
        "sent": [],
        "skipped": [],
        "unknown": [],
        "dry_run": False,
    }


def test_a_dry_run_sends_and_records_nothing(sqlite_store: SqlStore) -> None:
    store_plan(sqlite_store)
    mailer = FakeMailer()
    report = Remind(sqlite_store, lambda sender: mailer, lambda email, plan: "u", DUE_DAY, dry_run=True).run(
        sqlite_store.plans()
    )
    assert (len(report.sent), report.dry_run, mailer.sent) == (2, True, [])
    assert claimed(sqlite_store) == frozenset()


def test_an_email_cell_smuggling_a_second_address_sends_to_nobody(sqlite_store: SqlStore) -> None:
    store_plan(sqlite_store, champion="jane@acme.com\r\nBcc: evil@evil.example")
    sqlite_store.save_reminder_settings("plan-1", ReminderSettings(owners=False, champion=False))
    mailer = FakeMailer()
    report = run(sqlite_store, mailer, DUE_DAY + timedelta(days=3))
    digests = [item for item in report.skipped if item["kind"] == "digest"]
    assert digests
    assert all("not one address mail can be sent to" in item["why"] for item in digests)
    assert not any("evil" in str(message["To"]) for message in mailer.sent)


def test_the_weekly_digest_carries_the_timeline_as_a_png_inside_the_message(sqlite_store: SqlStore) -> None:
    store_plan(sqlite_store)
    sqlite_store.save_reminder_settings("plan-1", ReminderSettings(owners=True, champion=False, digest=True))
    mailer = FakeMailer()
    run(sqlite_store, mailer)
    digests = [message for message in mailer.sent if "countdown" in str(message["Subject"])]
    assert [str(message["To"]) for message in digests] == [f"Sam Lee <{SELLER}>", "Jane Doe <jane@acme.com>"]
    for message in digests:
        pictures = [part for part in message.walk() if part.get_content_type() == "image/png"]
        (picture,) = pictures
        assert picture["Content-ID"] == f"<{PICTURE_ID}>"
        with Image.open(BytesIO(picture.get_content())) as drawn:
            assert (drawn.format, drawn.width) == ("PNG", 600)
        html = message.get_body(("html",))
        assert html is not None
        assert f'src="cid:{PICTURE_ID}"' in html.get_content()
    assert len(mailer.sent) == 2  # each person's digest carries their due reminder: one message a day
    for message in digests:
        text = message.get_body(("plain",))
        assert text is not None
        assert "“POC success criteria agreed” (S1, row " in text.get_content()


def test_a_plan_without_an_owner_sends_nothing_and_says_how_to_give_it_one(sqlite_store: SqlStore) -> None:
    store_plan(sqlite_store, owner="")
    mailer = FakeMailer()
    report = run(sqlite_store, mailer)
    assert report.sent == []
    assert mailer.sent == []
    assert {item["why"] for item in report.skipped if item["row"] == "S1"} == {
        "plan plan-1 has no owner to send from — stamp plans with --owner YOU@COMPANY "
        "(a plan's owner sends its reminders)"
    }
