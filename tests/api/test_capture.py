"""Capture through the app: a routed request's body, decision and answer reach the capture file (opt-in)."""

from __future__ import annotations

from pathlib import Path

from server.capture.store import CaptureStore
from tests.api.harness import gateway_settings, running_gateway, scripted_tiers


def _store(tmp_path: Path) -> CaptureStore:
    return CaptureStore(tmp_path / "capture.sqlite", retention_days=14, max_rows=100)


async def test_routed_json_and_stream_requests_are_captured_with_their_answers(tmp_path: Path) -> None:
    capture = {"enabled": True, "path": str(tmp_path / "capture.sqlite")}
    settings = gateway_settings(tmp_path, capture=capture)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        plain = await gateway.chat("Mail me at ana@example.com")
        streamed = await gateway.chat("Please summarize this", stream=True)
        pinned_error = await gateway.chat("hello", model="no-such-model")
        await gateway.stop()
    assert plain.status_code == 200 and streamed.status_code == 200 and pinned_error.status_code == 404
    rows = {r.request_id: r for r in _store(tmp_path).rows()}
    assert set(rows) == {plain.headers["x-tierd-request-id"], streamed.headers["x-tierd-request-id"]}
    first = rows[plain.headers["x-tierd-request-id"]]
    # The default redaction hook replaced the address before it was stored.
    assert first.body["messages"][0]["content"] == "Mail me at <email>"
    assert first.answers == {"tier-1": "answer from tier-1"}
    assert first.min_tier == "tier-1" and first.final_tier == "tier-1"
    assert first.decision is not None and first.decision["min_tier"] == "tier-1"
    second = rows[streamed.headers["x-tierd-request-id"]]
    assert second.answers == {"tier-2": "answer from tier-2"}  # the relayed stream's text, assembled


async def test_capture_is_off_unless_enabled(tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        assert (await gateway.chat("hello")).status_code == 200
        await gateway.stop()
    assert not settings.capture.enabled
    assert not (tmp_path / "state" / "capture.sqlite").exists()


async def test_feedback_scores_join_captured_requests_by_request_id(tmp_path: Path) -> None:
    from server.capture.store import CaptureStore as Store
    from server.cli.learn import label_with_feedback

    settings = gateway_settings(tmp_path, capture={"enabled": True, "path": str(tmp_path / "capture.sqlite")})
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        liked = (await gateway.chat("hello")).headers["x-tierd-request-id"]
        disliked = (await gateway.chat("please summarize")).headers["x-tierd-request-id"]
        unscored = (await gateway.chat("hi again")).headers["x-tierd-request-id"]
        for request_id, score in ((liked, 1), (disliked, -1)):
            response = await gateway.http.post("/v1/feedback", json={"request_id": request_id, "score": score})
            assert response.status_code == 200, response.text
        await gateway.stop()
    rows = Store(tmp_path / "capture.sqlite", 14, 100).rows()
    labels = {m.request_id: m.label for m in label_with_feedback(settings, rows)}
    # tier-1 answered "hello" and was liked; tier-2 answered the summary (rules) and was not: one tier up.
    assert labels == {liked: "tier-1", disliked: "frontier"}
    assert unscored not in labels
