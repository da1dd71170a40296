"""`/openapi.json`: every route described, records as their schemas say, and schemathesis."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy
from schemathesis import APIOperation, BaseSchema, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err, Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from starlette.routing import Route, WebSocketRoute

from service.boards import Board, FileRecord, HistoryEntry, Note, Passage, View
from service.streams.events import StreamInfo
from tests.conftest import LiveServer, upload
from tests.routes.conftest import ask

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
Operation = APIOperation[Any, Any, Any, Any]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
# Per operation and mode; about 20 s in all. Raise it for a deeper run.
MAX_EXAMPLES = int(os.environ.get("BOARDROOM_FUZZ_EXAMPLES", "12"))
# Board events end only when their board does: with a real board they would never answer.
ENDLESS = {("GET", "/api/boards/{board_id}/events")}


def test_every_route_is_described(server: LiveServer, client: httpx.Client) -> None:
    """Each HTTP route and method of the app has an operation; the shim is named in prose."""
    doc = client.get("/openapi.json").json()
    described = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    routes = [r for r in server.app.routes if isinstance(r, Route)]
    wanted = {(m, r.path) for r in routes for m in (r.methods or set()) - {"HEAD"}}
    assert wanted <= described, sorted(wanted - described)
    assert len(wanted) == len(described)
    for route in server.app.routes:
        if isinstance(route, WebSocketRoute):
            assert route.path in doc["info"]["description"]


def test_records_have_the_fields_their_schemas_list(client: httpx.Client) -> None:
    """Each record's to_dict writes exactly the properties its component schema lists."""
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    records: list[Any] = [
        Board("brd_1", "b", 1.0, 1.0),
        FileRecord("fil_1", "brd_1", "a.pdf", 1, "ready", 1, None, 1.0),
        Note("not_1", "brd_1", "t", "x", 1.0),
        View("fil_1", "a.pdf", 1, 1.0),
        Passage("page", "fil_1", "a.pdf", 1, 1.0, "s", "text"),
        HistoryEntry(1, "q", "a", [], "stop", 1.0),
        StreamInfo("str_1", "expert", "brd_1", "q", "client:x", "done", 3, 0, 1.0, 2.0),
    ]
    for record in records:
        schema = schemas[type(record).__name__]
        assert set(record.to_dict()) == set(schema["properties"]), type(record).__name__
        assert set(schema["required"]) == set(schema["properties"]), type(record).__name__


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    """Generated requests, with made-up ids and then a real board's, answer as documented."""
    server = make_server()
    # A bare PDF body goes out as raw bytes, as an octet stream would.
    schemathesis.serializer.alias("application/pdf", "application/octet-stream")
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    failures = _fuzz(schema, server.url, {})
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "Fuzzed"}).json()["board_id"]
        file_id = upload(client, board_id, english_pdf, "report.pdf").json()["file_id"]
        note = client.post(f"/api/boards/{board_id}/notes", json={"text": "revenue grew"})
        stream_id = ask(client, board_id).json()["stream_id"]
    real = {
        "board_id": board_id,
        "file_id": file_id,
        "note_id": note.json()["note_id"],
        "stream_id": stream_id,
    }
    failures += _fuzz(schema, server.url, real)
    assert not failures, "\n\n".join(failures)


def _fuzz(schema: BaseSchema, base_url: str, ids: dict[str, str]) -> list[str]:
    """Each operation's coverage cases, then generated ones; what failed, by operation."""
    results = list(schema.get_all_operations())
    unreadable = [r.err() for r in results if isinstance(r, Err)]
    assert not unreadable, unreadable
    operations = [r.ok() for r in results if isinstance(r, Ok)]
    # With real ids, the deletes go last so that the other operations find what they act on.
    operations.sort(
        key=lambda op: (op.method.upper() == "DELETE", op.path == "/api/boards/{board_id}")
    )
    failures: list[str] = []
    for op in operations:
        if ids and (op.method.upper(), op.path) in ENDLESS:
            continue
        pinned = {name: ids[name] for name in re.findall(r"{(\w+)}", op.path) if name in ids}
        try:
            _cover(schema, op, base_url, pinned)
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{op.label} (coverage, ids {sorted(pinned)}):\n{exc}")
        for mode in MODES:
            try:
                _run(op.as_strategy(generation_mode=mode, path_parameters=pinned), base_url)
            except Unsatisfiable:
                pass  # nothing of this operation can be made invalid: no negative case
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis groups its failures
                failures.append(f"{op.label} ({mode.value}, ids {sorted(pinned)}):\n{exc}")
    return failures


def _cover(schema: BaseSchema, op: Operation, base_url: str, pinned: dict[str, str]) -> None:
    """Schemathesis's fixed cases: boundaries, each input missing or wrong, other methods."""
    generation = schema.config.generation_for(operation=op, phase="coverage")
    for case in schema.iter_coverage_cases(
        op, generation_modes=MODES, generation_config=generation
    ):
        case.path_parameters = {**(case.path_parameters or {}), **pinned}
        case.call_and_validate(base_url=base_url, checks=[*CHECKS, unsupported_method], timeout=10)


def _run(strategy: SearchStrategy[Case[Any]], base_url: str) -> None:
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Case[Any]) -> None:
        case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=10)

    check()


def test_the_document_needs_no_token(make_server: Callable[..., LiveServer]) -> None:
    """With API tokens on, /openapi.json still answers without one (it is not under /api/)."""
    with make_server(api_token="s3cret").client() as client:
        response = client.get("/openapi.json")
        assert response.status_code == 200
        assert response.json()["openapi"] == "3.1.0"
        assert client.get("/api/boards").status_code == 401
