"""The words designers use in spreadsheets, mapped to the language: lanes, row kinds, attribute values."""

from __future__ import annotations

import re

from blueprint_cli.language.model import CHANNELS, SEVERITIES, Evidence

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def words(text: str) -> str:
    """Lower case, punctuation as spaces, spacing collapsed: `"Front-stage actions:"` -> `front stage actions`."""
    return " ".join(_NOT_WORD.split(text.lower())).strip()


# What a grid row is, from its first cell. Tried in this order; the first rule with a matching
# word wins, so "Customer pain points" is a pain row and "Support systems" the support lane.
ROW_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("line", ("line of",)),
    ("stage", ("stage", "stages", "phase", "phases")),  # "Customer journey stage" names the stages
    ("pain", ("pain", "problem", "issue", "frustration", "fail point", "failure")),
    ("support", ("support", "supporting", "enabling", "infrastructure")),
    ("evidence", ("evidence", "prop", "props", "touchpoint", "touchpoints", "touch point", "artefact", "artifact")),
    ("customer", ("customer", "user", "client", "guest", "patient", "citizen", "visitor", "member")),
    (
        "backstage",
        ("backstage", "back stage", "offstage", "off stage", "invisible", "behind", "back office", "back of house"),
    ),
    (
        "frontstage",
        ("frontstage", "front stage", "onstage", "on stage", "visible", "front office", "front of house", "contact"),
    ),
    ("actor", ("actor", "actors", "who", "role", "roles", "staff", "people", "owner", "responsible")),
    ("system", ("system", "systems", "tool", "tools", "technology", "it", "software", "platform")),
    ("channel", ("channel", "channels", "medium")),
    ("workaround", ("workaround", "workarounds")),
    ("unknown", ("unknown", "unknowns", "question", "questions", "gap", "gaps")),
    ("note", ("note", "notes", "comment", "comments", "idea", "ideas", "opportunity", "opportunities", "remark")),
)
LANE_KINDS = ("evidence", "customer", "frontstage", "backstage", "support")


def row_kind(text: str) -> str | None:
    """`"Onstage / visible contact employee actions"` -> `frontstage`; None when nothing matches."""
    said = f" {words(text)} "
    if not said.strip():
        return None
    for two, one in (
        ("front stage", "frontstage"),
        ("back stage", "backstage"),
        ("on stage", "onstage"),
        ("off stage", "offstage"),
    ):
        said = said.replace(f" {two} ", f" {one} ")  # so that "Front-stage" is no stage row
    for kind, cues in ROW_KINDS:
        if any(f" {cue} " in said for cue in cues):
            return kind
    return None


_CHANNEL_WORDS = {
    "web": "web",
    "website": "web",
    "online": "web",
    "internet": "web",
    "app": "app",
    "mobile app": "app",
    "phone": "phone",
    "telephone": "phone",
    "call": "phone",
    "email": "email",
    "e mail": "email",
    "letter": "letter",
    "post": "letter",
    "mail": "letter",
    "in person": "in-person",
    "face to face": "in-person",
    "f2f": "in-person",
    "sms": "sms",
    "text": "sms",
    "text message": "sms",
    "chat": "chat",
    "live chat": "chat",
}


def channel(text: str) -> str:
    """A known channel where the words mean one (`"Telephone"` -> `phone`), else the text as a custom channel."""
    if text in CHANNELS:
        return text
    return _CHANNEL_WORDS.get(words(text), text)


def evidence(text: str) -> str | None:
    said = words(text)
    for level in Evidence:
        if said == level.value:
            return level.value
    return None


_DURATION = re.compile(r"([1-9]\d*)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)")


def duration(text: str) -> str | None:
    """`"30 min"` -> `30m`, `"2 days"` -> `2d`; None when it is not a whole number and a unit."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None:
        return None
    return match.group(1) + match.group(2)[0]


def severity(text: str) -> str | None:
    said = words(text)
    return said if said in SEVERITIES else None
