from __future__ import annotations

from typing import ClassVar

import pytest
from anthropic_wire import MODELS, AnthropicWire
from provider_contract import API_KEY, ListedModelsContract, ProviderContract
from wire_server import Fault


class TestAnthropic(ProviderContract, ListedModelsContract):
    models = MODELS
    protocol = AnthropicWire
    fault_messages: ClassVar[dict[Fault, str]] = {
        Fault.UNAUTHORIZED: "rejected the API key: check ANTHROPIC_API_KEY",
        Fault.RATE_LIMITED: "is limiting how fast requests may be sent (HTTP 429)",
        Fault.SERVER_ERROR: "had a server error (HTTP 529): press Retry in a moment.",
        Fault.SLOW: "did not answer within 1.0 seconds",
        Fault.BROKEN_STREAM: "broke off in the middle of the reply: the part received is kept",
        Fault.EMPTY: "The model sent back an empty reply",
        Fault.UNKNOWN_MODEL: "has no model called 'claude-local': pick another model under Settings.",
        Fault.WRONG_PATH: "has no model API at that address (HTTP 404): check",
        Fault.GATEWAY_UNKNOWN_MODEL: "has no model called 'claude-local'",
    }
    unreachable_message = "Could not connect to the Anthropic API at"

    def configure(self, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
        monkeypatch.setenv("ANTHROPIC_API_KEY", API_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", url)

    def secrets_for(self, url: str) -> dict[str, str]:
        return {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": url}

    def sent_settings(self, body: dict) -> tuple[float | None, int, str]:
        # The system prompt travels beside the messages, never as one of them.
        assert all(message["role"] in {"user", "assistant"} for message in body["messages"])
        return body.get("temperature"), body["max_tokens"], body["system"]

    def test_the_key_is_sent_with_each_request(self, server, make_app, send) -> None:
        send(make_app(), "Hello?")
        headers = self.replies(server)[-1].headers
        # Which header carries it depends on the SDK version.
        assert API_KEY in (headers.get("x-api-key"), headers.get("authorization", "").removeprefix("Bearer "))


def test_without_a_key_the_demo_model_answers_and_says_how_to_configure(make_app, send) -> None:
    app = make_app()
    notice = next(info.value for info in app.info if "offline demo model" in info.value)
    assert "ANTHROPIC_API_KEY" in notice
    send(app, "Hello?")
    assert 'You said: "Hello?"' in app.session_state["chat.conversation"].messages[-1].content


def test_temperature_stops_at_the_apis_limit_of_one(make_app) -> None:
    assert make_app().slider(key="settings.temperature").max == 1.0


def test_the_example_secrets_placeholder_does_not_count_as_a_key(unstarted_app) -> None:
    unstarted_app.secrets["ANTHROPIC_API_KEY"] = "sk-ant-..."  # copied from secrets.toml.example unchanged
    app = unstarted_app.run()
    assert any("No Anthropic API key is configured" in info.value for info in app.info)
