"""The agenda comes to you: targets (rel notify), the digest (rel digest), exactly once a day.

Delivery goes through apprise for real, to servers on 127.0.0.1 only: an SMTP server
(aiosmtpd) for mail, and an HTTP server standing in for ntfy / a JSON webhook.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import StoreProbe

SECRET = "s3cret-Pa55word"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """What the local SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def mail_url(port: int) -> str:
    # mailto (not mailtos) with mode=insecure: plain SMTP, no TLS, no login
    return f"mailto://127.0.0.1:{port}?to=me@example.com&from=rel@example.com&mode=insecure"


class Hook:
    """A local HTTP server standing in for ntfy or a webhook: records each POST, answers
    with `status`."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.status = 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                hook.requests.append((self.path, dict(self.headers), self.rfile.read(length)))
                self.send_response(hook.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]


@pytest.fixture
def hook() -> Iterator[Hook]:
    found = Hook()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        found.server.shutdown()
        found.server.server_close()


@pytest.fixture
def network(rel) -> None:
    """Alice is overdue, Ben is due today, Chloé's birthday is tomorrow (the day: 2026-03-01)."""
    rel("add", "Alice Chen", "--every", "2w", "--tag", "friend", ok=True)
    rel("log", "alice", "call", "--on", "2026-02-01", ok=True)
    rel("add", "Ben Okafor", "--every", "1w", ok=True)
    rel("log", "ben", "call", "--on", "2026-02-22", ok=True)
    rel("add", "Chloé Martin", "--birthday", "03-02", ok=True)


def sent_records(store: StoreProbe) -> list[tuple]:
    if not store.exists():
        return []
    return store.rows("SELECT day, label, status, keys FROM digest_log ORDER BY id")


# --- the digest -------------------------------------------------------------------------------


def test_the_digest_shows_overdue_today_and_tomorrow_with_keys_and_suggestions(
    rel, network
) -> None:
    result = rel("digest", ok=True)
    lines = result.stdout.splitlines()
    assert lines[0] == "rel: 1 overdue, 1 today, 1 coming up"
    assert "## Overdue (1)" in result.stdout and "## Today (1)" in result.stdout
    alice = next(line for line in lines if "Alice Chen" in line)
    assert "(`c1`, " in alice and "overdue" in alice
    assert "*suggest a coffee, a walk or a dinner*" in result.stdout  # her suggestion
    assert "Chloé Martin" in result.stdout and "`b3`" in result.stdout
    assert "Not sent: no target yet" in result.stderr
    # the next days come from --days (default 1): a week ahead shows no more here, but
    # the window is what the agenda is given
    assert rel_json_digest(rel, "--days", "0")["upcoming"] == []


def rel_json_digest(rel, *args: str) -> dict:
    return json.loads(rel("digest", *args, "--json", ok=True).stdout)


def test_the_number_of_days_comes_from_the_config_file(rel, network, isolated_home) -> None:
    config = isolated_home / ".config" / "rel" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[digest]\ndays = 0\n")
    assert rel_json_digest(rel)["upcoming"] == []
    assert rel_json_digest(rel, "--days", "1")["upcoming"][0]["key"] == "b3"


def test_limit_keeps_the_most_urgent_and_says_how_many_more(rel, network) -> None:
    result = rel("digest", "--limit", "1", ok=True)
    assert result.stdout.splitlines()[0] == "rel: 1 overdue, 2 more"
    assert "Alice Chen" in result.stdout and "Ben Okafor" not in result.stdout
    assert "and 2 more" in result.stdout


def test_a_mail_digest_reaches_the_smtp_server(rel, network, mailbox, store) -> None:
    box, port = mailbox
    rel("notify", "add", mail_url(port), ok=True)
    result = rel("digest", "--send")
    assert result.exit_code == 0, result.stderr
    [(sender, recipients, content)] = box.messages
    assert sender == "rel@example.com" and recipients == ["me@example.com"]
    mail = message_from_bytes(content, policy=policy.default)
    assert mail["Subject"] == "rel: 1 overdue, 1 today, 1 coming up"
    text = " ".join(
        part.get_content() for part in mail.walk() if part.get_content_maintype() == "text"
    )
    assert "Alice Chen" in text and "c1" in text and "Chloé Martin" in text
    assert [(day, status) for day, _, status, _ in sent_records(store)] == [("2026-03-01", "sent")]


def test_ntfy_gets_the_title_and_the_body(rel, network, hook) -> None:
    rel("notify", "add", f"ntfy://127.0.0.1:{hook.port}/morning-topic", ok=True)
    rel("digest", "--send", ok=True)
    [(_, _, body)] = hook.requests
    sent = json.loads(body)
    assert sent["topic"] == "morning-topic"
    assert sent["title"] == "rel: 1 overdue, 1 today, 1 coming up"
    assert "Alice Chen" in sent["message"] and "`c1`" in sent["message"]


def test_a_failing_target_exits_1_is_not_recorded_and_the_next_run_retries(
    rel, network, hook, store
) -> None:
    rel("notify", "add", f"json://127.0.0.1:{hook.port}/{SECRET}", ok=True)
    hook.status = 500
    failed = rel("digest", "--send")
    assert failed.exit_code == 1
    [line] = failed.stderr.strip().splitlines()
    assert line.startswith("error: target 1 (json://127.0.0.1:") and SECRET not in line
    assert sent_records(store) == []
    hook.status = 200
    retried = rel("digest", "--send")
    assert retried.exit_code == 0, retried.stderr
    assert len(hook.requests) == 2
    assert [status for _, _, status, _ in sent_records(store)] == ["sent"]
    again = rel("digest", "--send", ok=True)
    assert "Already sent" in again.stderr and len(hook.requests) == 2


def test_one_failing_target_does_not_stop_the_others(rel, network, mailbox, hook) -> None:
    box, port = mailbox
    rel("notify", "add", f"json://127.0.0.1:{hook.port}/", ok=True)
    rel("notify", "add", mail_url(port), ok=True)
    hook.status = 500
    assert rel("digest", "--send").exit_code == 1
    assert len(box.messages) == 1  # the mail went out all the same
    hook.status = 200
    rel("digest", "--send", ok=True)
    assert len(hook.requests) == 2 and len(box.messages) == 1  # only the failed one again


def test_the_digest_goes_out_once_a_day_unless_forced(rel, network, mailbox) -> None:
    box, port = mailbox
    rel("notify", "add", mail_url(port), ok=True)
    rel("digest", "--send", ok=True)
    second = rel("digest", "--send", ok=True)
    assert len(box.messages) == 1
    assert "Already sent to mailto://127.0.0.1" in second.stderr and "--force" in second.stderr
    assert "Sent today at" in rel("digest", ok=True).stderr
    rel("digest", "--send", "--force", ok=True)
    assert len(box.messages) == 2
    rel("digest", "--send", "--today", "2026-03-02", ok=True)
    assert len(box.messages) == 3


@pytest.mark.slow
def test_two_rels_sending_at_once_send_one_digest(rel, network, hook, store) -> None:
    rel("notify", "add", f"json://127.0.0.1:{hook.port}/", ok=True)
    command = [sys.executable, "-m", "rel", "digest", "--send"]
    both = [
        subprocess.Popen(
            command,
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = [process.communicate(timeout=120) for process in both]
    assert [process.returncode for process in both] == [0, 0], outcomes
    assert len(hook.requests) == 1
    assert len(sent_records(store)) == 1


def test_nothing_is_sent_on_a_day_with_nothing_due_unless_always(rel, hook, store) -> None:
    rel("add", "Dana Levi", "--every", "3m", ok=True)
    rel("notify", "add", f"json://127.0.0.1:{hook.port}/", ok=True)
    quiet = rel("digest", "--send", ok=True)
    assert "nothing sent" in quiet.stderr and hook.requests == []
    rel("digest", "--send", "--always", ok=True)
    [(_, _, body)] = hook.requests
    assert json.loads(body)["title"] == "rel: nothing due Sun Mar 1"


def test_rows_new_since_the_last_digest_are_marked_new(rel, network, hook) -> None:
    rel("notify", "add", f"json://127.0.0.1:{hook.port}/", ok=True)
    assert rel_json_digest(rel)["new"] == []  # no digest yet: nothing to compare with
    rel("digest", "--send", ok=True)
    rel("add", "Dana Levi", "--every", "1w", ok=True)
    rel("log", "dana", "call", "--on", "2026-02-20", ok=True)
    document = rel_json_digest(rel, "--today", "2026-03-02")
    assert document["new"] == ["c4"]
    assert document["title"].endswith("(1 new)")
    preview = rel("digest", "--today", "2026-03-02", ok=True).stdout
    dana = next(line for line in preview.splitlines() if "Dana Levi" in line)
    alice = next(line for line in preview.splitlines() if "Alice Chen" in line)
    assert "**new**" in dana and "**new**" not in alice


def test_a_sent_digest_is_not_an_undoable_command(rel, network, hook) -> None:
    rel("notify", "add", f"json://127.0.0.1:{hook.port}/", ok=True)
    before = rel("undo", "--list", "--json", ok=True).stdout
    rel("digest", "--send", ok=True)
    assert rel("undo", "--list", "--json", ok=True).stdout == before


# --- bad input -------------------------------------------------------------------------------


def test_an_unknown_scheme_is_refused_in_one_line_with_the_secret_masked(
    rel, isolated_home
) -> None:
    result = rel("notify", "add", f"nosuch://me:{SECRET}@example.com/x")
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert "nosuch://" in line and SECRET not in line
    assert not (isolated_home / ".config" / "rel" / "config.toml").exists()


def test_an_unreachable_mail_server_fails_in_one_line_and_records_nothing(
    rel, network, store
) -> None:
    url = (
        f"mailto://me:{SECRET}@127.0.0.1:{free_port()}"
        "?to=me@example.com&from=rel@example.com&mode=insecure"
    )
    rel("notify", "add", url, ok=True)
    result = rel("digest", "--send")
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: target 1 (mailto://me:****@127.0.0.1:") and SECRET not in line
    assert sent_records(store) == []


def test_a_malformed_config_file_is_named_in_one_line_and_nothing_is_sent(
    rel, network, isolated_home, hook, store
) -> None:
    config = isolated_home / ".config" / "rel" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[[target]]\nurl = "json://127.0.0.1:{hook.port}/\n')
    result = rel("digest", "--send")
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert str(config) in line and "not valid TOML" in line
    assert hook.requests == [] and sent_records(store) == []


def test_no_target_is_an_error_that_says_how_to_add_one(rel, network) -> None:
    result = rel("digest", "--send")
    assert result.exit_code == 1 and "rel notify add URL" in result.stderr


# --- rel notify ----------------------------------------------------------------------------


def test_targets_are_kept_private_listed_masked_and_removed_by_number(rel, isolated_home) -> None:
    rel("notify", "add", f"mailto://me:{SECRET}@smtp.example.com?to=me@example.com", ok=True)
    rel("notify", "add", "ntfy://ntfy.sh/my-secret-topic", ok=True)
    config = isolated_home / ".config" / "rel" / "config.toml"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    listed = rel("notify", "list", ok=True).stdout
    assert SECRET not in listed and "my-secret-topic" not in listed
    assert "mailto://me:****@smtp.example.com" in listed and "ntfy://ntfy.sh/m...c" in listed
    document = json.loads(rel("notify", "list", "--json", ok=True).stdout)
    assert [t["number"] for t in document["targets"]] == [1, 2]
    assert SECRET not in json.dumps(document)
    duplicate = rel("notify", "add", "ntfy://ntfy.sh/my-secret-topic")
    assert duplicate.exit_code == 1 and "already a target" in duplicate.stderr
    rel("notify", "rm", "1", ok=True)
    assert "ntfy://ntfy.sh" in rel("notify", "list", ok=True).stdout
    assert "smtp.example.com" not in config.read_text()
    missing = rel("notify", "rm", "5")
    assert missing.exit_code == 1 and "no target has the number 5" in missing.stderr


def test_notify_test_reports_each_target(rel, hook) -> None:
    rel("notify", "add", f"json://127.0.0.1:{hook.port}/", ok=True)
    rel("notify", "test", ok=True)
    assert json.loads(hook.requests[0][2])["title"] == "rel: test message"
    hook.status = 500
    failed = rel("notify", "test", "1")
    assert failed.exit_code == 1 and "error: target 1 (json://127.0.0.1:" in failed.stderr


def test_showing_the_digest_does_not_import_the_delivery_library(rel, network) -> None:
    shown = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rel", "digest"],
        capture_output=True, text=True, env=os.environ.copy(), timeout=120,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "rel.services.digest" in shown.stderr and "apprise" not in shown.stderr


def test_a_target_rel_cannot_use_is_reported_and_the_others_still_get_the_digest(
    rel, network, isolated_home, hook, store
) -> None:
    config = isolated_home / ".config" / "rel" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'[[target]]\nurl = "nosuch://me:{SECRET}@example.com"\n\n'
        f'[[target]]\nurl = "json://127.0.0.1:{hook.port}/"\n'
    )
    result = rel("digest", "--send")
    assert result.exit_code == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert line.startswith("error: target 1 (nosuch://me:****@example.com)") and SECRET not in line
    assert len(hook.requests) == 1
    assert [label for _, label, _, _ in sent_records(store)] == [f"json://127.0.0.1:{hook.port}"]


def test_a_claim_left_by_a_rel_that_died_is_taken_over_after_a_while(rel, network, store):
    from datetime import UTC, date, datetime, timedelta

    from rel.paths import resolve_store
    from rel.services.digest import STALE_CLAIM, claim_day
    from rel.store.engine import open_store
    from rel.store.queries import OrmReader

    day, now = date(2026, 3, 1), datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    target = [("f1", "ntfy://ntfy.sh/t...c")]
    opened = open_store(resolve_store(), write=True)
    try:
        with opened.session() as session:
            assert list(claim_day(OrmReader(session), day, target, now).claimed) == ["f1"]
        with opened.session() as session:  # the first rel died before it recorded anything
            assert list(
                claim_day(OrmReader(session), day, target, now + timedelta(minutes=1)).busy
            ) == ["f1"]
        with opened.session() as session:
            later = now + STALE_CLAIM + timedelta(seconds=1)
            assert list(claim_day(OrmReader(session), day, target, later).claimed) == ["f1"]
    finally:
        opened.close()
    assert len(sent_records(store)) == 1  # the stale claim was replaced, not added to
