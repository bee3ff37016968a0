"""schemathesis against the OpenAPI document, as each role: every answer of every operation must
be documented (status, content type, headers, body schema), and none may be a 500.

The requests go through the test's own httpx client to the app running on the test loop (the
database engine lives there); Hypothesis runs in a worker thread and hands each request to that
loop. Each operation gets valid input by the document (positive) and input it forbids
(negative, which must be refused with a 4xx), with a fixed seed and a bounded number of
examples; failures are collected (not shrunk) and listed together. Ids in paths and queries are
drawn from a small range so that they name the objects made here, not only unknown ones. SQLite
only: the checks concern the document and the HTTP layer, which the engines share (the BOLA
matrix runs both).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import as_, make_person, make_world
from tests.security.test_bola import _other_community

ROLES = ["anonymous", "resident", "vol0", "grid", "coord", "admin"]
EXAMPLES = 6
SEED = 20261205
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Valid input by the document, then input the document forbids: that must be refused (4xx).
MODES = {
    GenerationMode.POSITIVE: CHECKS,
    GenerationMode.NEGATIVE: [*CHECKS, negative_data_rejection],
}
# Server-sent event streams never end: a request would wait for the timeout, not an answer.
STREAMS = ("/events", "/notifications/stream")
# These end the session the run signs in with (sign-out, closing the account): the rest of a
# role's run would answer only 401. Anonymous requests still reach them.
ENDS_SESSION = {("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/me/data/close")}
SMALL_ID = 40  # above every id made here, so that unknown ids come up too

pytestmark = [
    pytest.mark.parametrize("database", ["sqlite"], indirect=True),
    pytest.mark.settings(
        rate_limit_person_per_minute=1_000_000, rate_limit_anonymous_per_minute=1_000_000
    ),
]


@dataclass
class Findings:
    failures: dict[tuple[str, str], str] = field(default_factory=dict)
    requests: int = 0


def _small_ids(document: dict) -> dict:
    """The document with id parameters bounded to the ids made here."""
    document = copy.deepcopy(document)
    for ops in document["paths"].values():
        for op in ops.values():
            for p in op.get("parameters", []) if isinstance(op, dict) else []:
                if p["name"] == "id" or p["name"].endswith("_id"):
                    p["schema"]["maximum"] = SMALL_ID
    return document


def _operations(schema, role: str) -> list:
    chosen = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith(STREAMS):
            continue
        if role != "anonymous" and (operation.method.upper(), operation.path) in ENDS_SESSION:
            continue
        chosen.append(operation)
    return chosen


def _part(filename, value, *rest):
    return (filename, value if isinstance(value, bytes | str) else str(value), *rest)


async def _send(client, case):
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    kwargs.pop("cookies", None)  # the API reads no cookie but the client's own session
    data = kwargs.pop("data", None)
    if isinstance(data, bytes | str):
        kwargs["content"] = data
    elif data is not None:
        kwargs["data"] = data
    if kwargs.get("files"):  # requests takes any value in a form part; httpx text or bytes
        kwargs["files"] = [(n, _part(*v)) for n, v in kwargs["files"]]
    request = client.build_request(**kwargs)
    await request.aread()  # a multipart body is a stream: the checks read what was sent
    return await client.send(request)


def _run(operation, mode: GenerationMode, client, loop, findings: Findings) -> None:
    """Hypothesis for one operation, in this worker thread; the requests run on the test loop."""

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # failures are collected, not shrunk
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case) -> None:
        response = asyncio.run_coroutine_threadsafe(_send(client, case), loop).result(30)
        findings.requests += 1
        try:
            case.validate_response(response, checks=MODES[mode])
        except FailureGroup as group:
            for failure in group.exceptions:
                key = (f"{mode.value} {operation.method.upper()} {operation.path}", failure.title)
                findings.failures.setdefault(key, f"{response.status_code}: {failure.message}")

    with contextlib.suppress(Unsatisfiable):  # an operation that takes no input has no bad input
        check()


@pytest.mark.parametrize("role", ROLES)
async def test_every_answer_is_documented(running, role):
    world = await make_world()
    c1, comp1 = world.communities[0], world.compounds[0]
    await make_person(world, "admin", roles=[("admin", None, None)], community=c1, compound=comp1)
    await _other_community(running, world)  # objects with ids for the paths
    client = running.client() if role == "anonymous" else await as_(running, world, role)
    document = (await running.client().get("/schema/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(_small_ids(document))
    # the session is the signed-in client's: no generated (or broken) session cookie
    schema.config.generation.update(with_security_parameters=False)
    loop = asyncio.get_running_loop()
    findings = Findings()
    for operation in _operations(schema, role):
        for mode in MODES:
            await asyncio.to_thread(_run, operation, mode, client, loop, findings)
    assert findings.requests > 500
    report = "\n".join(
        f"{op} [{title}] {detail}" for (op, title), detail in findings.failures.items()
    )
    assert not findings.failures, f"{role}:\n{report}"
