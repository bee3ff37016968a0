"""Plain words for the messages that reach a person: the services' and the form decoder's
English (written for API clients) turned into a sentence for the field it concerns, in the
page's language. The rules stay in the services; this only rewords what they said.

A message not listed here is shown as the service wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Gettext = Callable[[str], str]


def _(message: str) -> str:  # marks the message ids for `pybabel extract`
    return message


# (pattern on the service's or msgspec's message, field it belongs beside, plain message id)
# A field of None means "the field named in the pattern's `field` group", "" the field where the
# message was raised, "_form" the form's top.
_RULES: list[tuple[str, str | None, str]] = [
    # the form decoder (msgspec)
    (r"^Object missing required field `(?P<field>\w+)`", None, _("Please fill this in.")),
    (r"^Expected `(float|int)[^`]*`, got `str`", "", _("Please enter a number.")),
    (r"^Expected `(float|int)[^`]*` <= (?P<n>-?[\d.]+)", "", _("Please enter {n} or less.")),
    (r"^Expected `(float|int)[^`]*` < (?P<n>-?[\d.]+)", "", _("Please enter less than {n}.")),
    (r"^Expected `(float|int)[^`]*` >= (?P<n>-?[\d.]+)", "", _("Please enter {n} or more.")),
    (r"^Expected `(float|int)[^`]*` > (?P<n>-?[\d.]+)", "", _("Please enter more than {n}.")),
    (r"^Expected `str` of length >= 1", "", _("Please fill this in.")),
    (r"^Expected `str` of length <= (?P<n>\d+)", "", _("Please keep it to {n} characters.")),
    (r"^Invalid RFC3339 encoded date", "", _("Please enter a date.")),
    # accounts
    (r"^Wrong phone number or password", "_form", _("Wrong phone number or password.")),
    (r"^Too many failed logins", "_form", _("Too many failed sign-ins. Wait a few minutes.")),
    (
        r"^phone must be an 11-digit",
        "phone",
        _("Enter an 11-digit mobile number, e.g. 13812345678."),
    ),
    (
        r"^A person with this phone number is already",
        "phone",
        _("This phone number is already registered."),
    ),
    (r"^compound_id is needed", "compound_id", _("Choose the resident's compound.")),
    # wishes
    (
        r"^Recording a priority group needs",
        "priority_groups",
        _("To record these, tick “I agree” below; or leave them all unticked."),
    ),
    (r"^Unknown priority group", "priority_groups", _("Choose from the groups listed.")),
    (r"^wanted_by cannot be in the past", "wanted_by", _("The date cannot be in the past.")),
    (r"^category must be one of", "category", _("Choose a kind of help.")),
    (r"^rating must be from 1", "rating", _("Choose from 1 to 5 stars.")),
    (
        r"^Cannot \w+ this wish: it is (?P<status>\w+)",
        "_form",
        _("This cannot be done now: the wish is {status}."),
    ),
    (
        r"^The wish changed while you were acting",
        "_form",
        _("The wish changed while you were looking at it. Please reload."),
    ),
    (
        r"^The wish touches the negative list",
        "_form",
        _(
            "The wish touches the negative list: reject it, or tick “the words are harmless"
            " here” and publish."
        ),
    ),
    (
        r"^Only the resident or the person who posted",
        "_form",
        _("Only the resident, or the person who posted the wish, can cancel it."),
    ),
    # tasks and dispatch
    (r"^已被他人认领", "_form", _("Someone else just claimed it (已被他人认领).")),
    (
        r"^You already hold (?P<n>\d+) open tasks",
        "_form",
        _("You already hold {n} open tasks, the most allowed: fulfil or give one back first."),
    ),
    (
        r"^The time to answer this dispatch has passed",
        "_form",
        _("The time to answer has passed; the task has gone back to the pool."),
    ),
    (r"^You do not hold this task", "_form", _("You no longer hold this task.")),
    (
        r"^This claim has just ended",
        "_form",
        _("This task has just changed hands. Please reload."),
    ),
    # points and slots
    (
        r"^Not enough points: you have (?P<n>\d+), the item costs (?P<m>\d+)",
        "_form",
        _("Not enough points: you have {n}, it costs {m}."),
    ),
    (r"^This item is out of stock", "_form", _("This item is out of stock.")),
    (r"^Every place in this slot is taken", "_form", _("Every place in this slot is taken.")),
]
_COMPILED = [(re.compile(p), f, m) for p, f, m in _RULES]


def explain(tr: Gettext, message: str, field: str = "_form") -> tuple[str, str]:
    """(the field the message belongs beside, the message in plain words and the page's language).

    `field` is where the message was raised (the decoder knows it); a rule may name another."""
    for pattern, rule_field, text in _COMPILED:
        match = pattern.search(message)
        if match is None:
            continue
        params = match.groupdict()
        where = params.pop("field", None) if rule_field is None else (rule_field or field)
        params = {k: v.removesuffix(".0") if v else v for k, v in params.items()}  # 200.0 -> 200
        if "status" in params:
            params["status"] = tr(params["status"])
        return where or field, tr(text).format(**params)
    return field, message
