"""Where the digest goes: delivery targets as apprise URLs, kept in the user's config file.

The targets live in `config.toml` in the user's config folder (`~/.config/rel/` on Linux), not
in the store. Their URLs hold secrets (an SMTP password, a bot token, an ntfy topic), and the
store is the thing that gets copied: backups beside it, `rel export`, a store shared to report
a bug, `rel undo`'s journal. The config file is created private (0600 in a 0700 folder) and
rewritten whole (a temporary file renamed into place), so an interruption never leaves half a
file. Targets are also a fact about a machine (a desktop notification reaches this one), while a
store may move between machines.

apprise (mail, ntfy, Pushover, Telegram, Slack, Matrix, desktop and about a hundred more) is
imported only by the functions that check or send a URL: it takes a noticeable time to import,
and no other command should pay for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rel.errors import BadValue, shown

CONFIG_NAME = "config.toml"
DEFAULT_DIGEST_DAYS = 1
MAIL_SCHEMES = ("mailto", "mailtos")
HEADER = (
    "# rel's settings (see docs/digest.md).\n"
    "# The targets' URLs hold secrets: keep this file private (chmod 600).\n"
)


def config_path() -> Path:
    """The config file, resolved at call time ($XDG_CONFIG_HOME/rel/config.toml on Linux)."""
    from platformdirs import user_config_path

    return user_config_path("rel", appauthor=False) / CONFIG_NAME


# --- the config file -----------------------------------------------------------------------


def read_config(path: Path | None = None) -> dict[str, Any]:
    """The config as a dict; an absent file is an empty config. A file that is not TOML, or
    whose targets are not what rel writes, is refused in one line naming the file."""
    import tomllib

    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise BadValue(f"cannot read the config file {path}: {_reason(error)}") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadValue(
            f"the config file {path} is not valid TOML ({error}); fix or remove it"
        ) from None
    targets = document.get("target", [])
    if not isinstance(targets, list) or not all(
        isinstance(t, dict) and isinstance(t.get("url"), str) for t in targets
    ):
        raise BadValue(
            f'the config file {path}: expected each [[target]] to have a url = "..." string'
        )
    digest = document.get("digest", {})
    if not isinstance(digest, dict):
        raise BadValue(f"the config file {path}: expected [digest] to be a table")
    return document


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)


def write_config(document: dict[str, Any], path: Path | None = None) -> Path:
    """Write the whole config privately: a 0600 temporary file beside it, renamed into place."""
    path = path or config_path()
    folder = path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(folder.stat().st_mode) & 0o077:
        folder.chmod(0o700)
    handle, temporary = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:  # mkstemp makes it 0600
            file.write(to_toml(document))
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def to_toml(document: dict[str, Any]) -> str:
    """TOML for what rel keeps: top-level values, tables of values, arrays of tables."""
    lines = [HEADER.rstrip("\n")]
    plain = {k: v for k, v in document.items() if not isinstance(v, dict | list)}
    lines += [f"{_key(k)} = {_value(v)}" for k, v in plain.items()]
    for name, value in document.items():
        if isinstance(value, dict):
            lines += ["", f"[{_key(name)}]"]
            lines += [f"{_key(k)} = {_value(v)}" for k, v in value.items()]
    for name, value in document.items():
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            for item in value:
                lines += ["", f"[[{_key(name)}]]"]
                lines += [f"{_key(k)} = {_value(v)}" for k, v in item.items()]
        elif isinstance(value, list):
            lines.insert(len(plain) + 1, f"{_key(name)} = {_value(value)}")
    return "\n".join(lines) + "\n"


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    # a TOML basic string takes JSON's escapes; ensure_ascii keeps any odd character escaped
    return json.dumps(str(value), ensure_ascii=True)


@contextmanager
def editing_config() -> Iterator[dict[str, Any]]:
    """Read the config, let the caller change it, write it back whole."""
    path = config_path()
    document = read_config(path)
    yield document
    write_config(document, path)


def check_private(path: Path | None = None) -> str | None:
    """A warning when the config file can be read by others (its URLs hold secrets)."""
    path = path or config_path()
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if mode & 0o077:
        return f"{path} can be read by others and holds secrets: chmod 600 {path}"
    return None


def digest_days(document: dict[str, Any]) -> int:
    """How many days ahead the digest looks ([digest] days = N; 1 by default)."""
    days = document.get("digest", {}).get("days", DEFAULT_DIGEST_DAYS)
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3660:
        raise BadValue(
            f"the config file {config_path()}: expected [digest] days to be a whole number "
            f"of days from 0 to 3660; got {shown(str(days))}"
        )
    return days


# --- targets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A configured delivery target: its number in `rel notify list`, its URL, its name."""

    number: int
    url: str
    label: str  # the URL with its secrets masked: safe to print and to store

    @property
    def fingerprint(self) -> str:
        """What the store keeps to know this target again (a digest of the URL, not the URL)."""
        return hashlib.sha256(self.url.encode()).hexdigest()[:16]


def targets(document: dict[str, Any]) -> list[Target]:
    """The configured targets, numbered from 1, with masked names (no apprise import)."""
    return [
        Target(number, entry["url"], rough_mask(entry["url"]))
        for number, entry in enumerate(document.get("target", []), start=1)
    ]


def rough_mask(url: str) -> str:
    """A URL with whatever may be secret masked, without apprise: the password of its user
    part, its query, and the path of services whose path is the secret."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return _cut(url)
    rest = rest.split("?", 1)[0]
    rest = re.sub(r"^([^/@]*?):[^/@]*@", r"\1:****@", rest)
    host, slash, path = rest.partition("/")
    name, colon, port = host.partition(":")
    if "@" not in host and ((colon and not port.isdigit()) or ("." not in name and name)):
        host = _peek(host)  # a token where a host would be (tgram://BOT:TOKEN/)
    path = "/".join(_peek(part) for part in path.split("/")) if path else ""
    return _cut(f"{scheme}://{host}{slash}{path}")


def _peek_once(part: str) -> str:
    """A path part masked, unless apprise masked it already."""
    return part if "..." in part or "*" in part else _peek(part)


def _peek(secret: str) -> str:
    """apprise's way of showing a secret: its first and last character."""
    if len(secret) <= 2:
        return "*" * len(secret)
    return f"{secret[0]}...{secret[-1]}"


def _cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def labelled(found: list[Target]) -> list[Target]:
    """The targets named as `rel notify list` names them (apprise's masking)."""
    from dataclasses import replace

    named = []
    for target in found:
        try:
            named.append(replace(target, label=mask(target.url)))
        except BadValue:
            named.append(target)  # delivering to it will say what is wrong
    return named


def instantiate(url: str) -> Any:
    """apprise's plugin for this URL, or BadValue saying (in one line, secrets masked) why
    not: an unknown scheme, a service that needs a package not installed, a bad URL."""
    import logging

    import apprise

    if "://" not in url:
        raise BadValue(
            f"expected a URL such as mailto://USER:PASSWORD@HOST?to=ADDRESS or "
            f"ntfy://ntfy.sh/TOPIC; got {shown(rough_mask(url))}"
        )
    scheme = url.split("://", 1)[0].lower()
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as logs:
        plugin = apprise.Apprise.instantiate(url)
    if plugin is not None:
        return plugin
    from apprise.manager_plugins import NotificationManager

    known = NotificationManager()
    label = rough_mask(url)
    if scheme not in known.schemas(include_disabled=True):
        raise BadValue(
            f"cannot send to {label}: no notification service has the scheme {scheme}:// "
            "(the list: https://github.com/caronc/apprise/wiki)"
        )
    if not getattr(known[scheme], "enabled", True):
        raise BadValue(
            f"cannot send to {label}: {scheme}:// needs packages that are not installed here "
            "(apprise --details lists what each service needs)"
        )
    # apprise says why first ("Invalid ~From~ email"), then that it could not load the URL
    reason = _last_line(logs.getvalue(), url, first=True) or "apprise does not accept this URL"
    raise BadValue(f"cannot send to {label}: {reason}")


def mask(url: str) -> str:
    """The URL with its secrets masked as apprise marks them (passwords, tokens, keys), and
    the path of any service but mail too (an ntfy topic, a webhook's id: on a public server
    they are the secret), without the defaults apprise appends."""
    plugin = instantiate(url)
    private = plugin.url(privacy=True)
    scheme, _, rest = private.partition("://")
    where = rest.split("?", 1)[0].rstrip("/")
    if scheme not in MAIL_SCHEMES:  # a mail URL's path is its recipients; elsewhere, secrets
        host, _, parts = where.partition("/")
        where = host + ("/" + "/".join(_peek_once(p) for p in parts.split("/")) if parts else "")
    given = url.split("?", 1)[1] if "?" in url else ""
    kept = [
        part
        for part in private.split("?", 1)[1].split("&")
        if "?" in private and part.split("=", 1)[0] in _query_keys(given)
    ]
    shown_scheme = url.split("://", 1)[0]
    return _cut(f"{shown_scheme}://{where}" + ("?" + "&".join(kept) if kept else ""))


def _query_keys(query: str) -> set[str]:
    return {part.split("=", 1)[0].lower() for part in query.split("&") if part}


def _last_line(log: str, url: str, *, first: bool = False) -> str:
    """apprise's last (or first) complaint, on one line, without the URL's secrets."""
    lines = [" ".join(line.split()) for line in log.splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[0 if first else -1].replace(url, rough_mask(url))
    for secret in sorted(_secrets(url), key=len, reverse=True):
        line = line.replace(secret, _peek(secret))
    return _cut(line, 200)


def _secrets(url: str) -> set[str]:
    """The parts of a URL that may be secret, as they may appear in a service's complaint:
    the password, the path (topics, tokens, keys), the query's values, a token for a host."""
    from urllib.parse import unquote

    _, _, rest = url.partition("://")
    rest, _, query = rest.partition("?")
    where, _, path = rest.partition("/")
    userinfo, at, host = where.rpartition("@")
    found = set()
    if at and ":" in userinfo:
        found.add(userinfo.split(":", 1)[1])
    _, colon, port = host.partition(":")
    if colon and not port.isdigit():
        found.add(host)
    found.update(part for part in path.split("/") if part)
    found.update(part.partition("=")[2] for part in query.split("&"))
    return {unquote(part) for part in found if len(part) >= 4} | {
        part for part in found if len(part) >= 4
    }


def deliver(url: str, title: str, body: str) -> str | None:
    """Send one message to one target: None when it was accepted, else why not (one line,
    secrets masked). A failure never raises: one target failing does not stop the others."""
    import logging

    import apprise

    try:
        plugin = instantiate(url)
    except BadValue as problem:
        return problem.message
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as logs:
        try:
            sender = apprise.Apprise()
            sender.add(plugin)
            accepted = sender.notify(
                body=body, title=title, body_format=apprise.NotifyFormat.MARKDOWN
            )
        except Exception as error:  # a plugin's own bug must not stop the other targets
            return f"unexpected {type(error).__name__}: {_last_line(str(error), url)}"
    if accepted:
        return None
    return _last_line(logs.getvalue(), url) or "the service did not accept the message"
