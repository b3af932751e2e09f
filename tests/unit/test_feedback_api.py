"""POST /v1/feedback in process, on a real SQLite ledger (the app's own lifespan opens and drains it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from server.accounting.ledger_schema import FeedbackRow, RequestRow
from server.app import create_app
from server.settings import validate_settings


def _settings(tmp_path: Path, **accounting: Any) -> Any:
    return validate_settings(
        {
            "server": {"state_dir": str(tmp_path)},
            # Not configured and not required: nothing to start, so the app runs without any upstream.
            "tiers": [{"name": "frontier", "kind": "openai"}],
            "routing": {"classifier": "rules", "rules": {"default_tier": "frontier"}},
            "accounting": accounting,
        },
        "test",
    )


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(_settings(tmp_path))) as client:
        yield client


def _known_request(client: TestClient) -> str:
    """A request refused for its JSON still has a ledger row, so it can be scored."""
    response = client.post("/v1/chat/completions", content=b"{not json")
    assert response.status_code == 400
    return str(response.headers["x-tierd-request-id"])


def test_feedback_is_stored_for_a_known_request(tmp_path: Path) -> None:
    with TestClient(create_app(_settings(tmp_path))) as client:  # the lifespan's end drains the ledger
        request_id = _known_request(client)
        response = client.post("/v1/feedback", json={"request_id": request_id, "score": -0.5, "comment": "meh"})
        assert response.status_code == 200, response.text
        assert response.json() == {"object": "tierd.feedback", "id": 1, "request_id": request_id, "score": -0.5}
    engine = create_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    with engine.connect() as conn:
        assert conn.execute(select(RequestRow.status).where(RequestRow.request_id == request_id)).scalar() == 400
        assert [(f.score, f.comment) for f in conn.execute(select(FeedbackRow))] == [(-0.5, "meh")]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"score": 1}, "request_id"),
        ({"request_id": "req-x", "score": 1.5}, "score"),
        ({"request_id": "req-x", "score": "good"}, "score"),
        ({"request_id": "req-x", "score": None}, "score"),
        ({"request_id": "req-x", "score": 1, "stars": 5}, "stars"),
        ({"request_id": "req-x", "score": 1, "comment": "x" * 5000}, "comment"),
    ],
)
def test_bad_feedback_is_400_naming_the_param(client: TestClient, body: dict[str, Any], param: str) -> None:
    response = client.post("/v1/feedback", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == param


def test_unknown_request_is_404_and_a_non_object_is_400(client: TestClient) -> None:
    response = client.post("/v1/feedback", json={"request_id": "req-unknown", "score": 1})
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
    assert client.post("/v1/feedback", json=[1]).status_code == 400
    assert client.post("/v1/feedback", content=b"{").json()["error"]["code"] == "invalid_json"


def test_without_the_ledger_feedback_says_so(tmp_path: Path) -> None:
    with TestClient(create_app(_settings(tmp_path, enabled=False))) as client:
        response = client.post("/v1/feedback", json={"request_id": "req-x", "score": 1})
        assert response.status_code == 404 and "accounting.enabled" in response.json()["error"]["message"]
        assert client.post("/v1/chat/completions", content=b"{").status_code == 400  # serving works without it
    assert not (tmp_path / "ledger.db").exists()
