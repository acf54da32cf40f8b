from __future__ import annotations

from typing import ClassVar

import pytest
from openai_wire import MODELS, OpenAIWire
from provider_contract import API_KEY, CompatibleParametersContract, ListedModelsContract, ProviderContract
from wire_server import Fault


class TestOpenAI(ProviderContract, ListedModelsContract, CompatibleParametersContract):
    models = MODELS
    protocol = OpenAIWire
    fault_messages: ClassVar[dict[Fault, str]] = {
        Fault.UNAUTHORIZED: "rejected the API key: check OPENAI_API_KEY",
        Fault.RATE_LIMITED: "is limiting how fast requests may be sent (HTTP 429)",
        Fault.SERVER_ERROR: "had a server error (HTTP 503): press Retry in a moment.",
        Fault.SLOW: "did not answer within 1.0 seconds",
        Fault.BROKEN_STREAM: "broke off in the middle of the reply: the part received is kept",
        Fault.EMPTY: "The model sent back an empty reply",
        Fault.UNKNOWN_MODEL: "has no model called 'local-model': pick another model under Settings.",
        Fault.WRONG_PATH: "has no model API at that address (HTTP 404): check",
        Fault.GATEWAY_UNKNOWN_MODEL: "has no model called 'local-model'",
    }
    unreachable_message = "Could not connect to the OpenAI-compatible server at"

    def configure(self, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
        monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", url + "/v1")

    def secrets_for(self, url: str) -> dict[str, str]:
        return {"OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": url + "/v1"}

    def sent_settings(self, body: dict) -> tuple[float | None, int, str]:
        system = [m["content"] for m in body["messages"] if m["role"] == "system"]
        assert body["messages"][0]["role"] == "system"
        return body.get("temperature"), body["max_tokens"], system[0]

    def test_the_key_is_sent_as_a_bearer_token(self, server, make_app, send) -> None:
        send(make_app(), "Hello?")
        assert self.replies(server)[-1].headers["authorization"] == f"Bearer {API_KEY}"


def test_without_a_key_the_demo_model_answers_and_says_how_to_configure(make_app, send) -> None:
    app = make_app()
    notice = next(info.value for info in app.info if "offline demo model" in info.value)
    assert "OPENAI_API_KEY" in notice
    send(app, "Hello?")
    assert 'You said: "Hello?"' in app.session_state["chat.conversation"].messages[-1].content


def test_a_bad_timeout_setting_is_explained(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    monkeypatch.setenv("CHATBOT_TIMEOUT", "soon")
    app = make_app()
    assert not app.exception
    assert any("CHATBOT_TIMEOUT is 'soon'; set it to a number" in info.value for info in app.info)


def test_the_example_secrets_placeholder_does_not_count_as_a_key(unstarted_app) -> None:
    unstarted_app.secrets["OPENAI_API_KEY"] = "sk-..."  # copied from secrets.toml.example unchanged
    app = unstarted_app.run()
    assert any("No OpenAI API key is configured" in info.value for info in app.info)
