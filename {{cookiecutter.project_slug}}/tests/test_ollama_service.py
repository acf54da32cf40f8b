from __future__ import annotations

import socket
from typing import ClassVar

import pytest
from openai_wire import MODELS, OpenAIWire
from provider_contract import CompatibleParametersContract, ProviderContract
from wire_server import Fault, WireServer


class TestOllama(ProviderContract, CompatibleParametersContract):
    protocol = OpenAIWire
    fault_messages: ClassVar[dict[Fault, str]] = {
        Fault.UNAUTHORIZED: "refused the request as unauthorised",
        Fault.RATE_LIMITED: "is limiting how fast requests may be sent (HTTP 429)",
        Fault.SERVER_ERROR: "had a server error (HTTP 503): press Retry in a moment.",
        Fault.SLOW: "did not answer within 1.0 seconds",
        Fault.BROKEN_STREAM: "broke off in the middle of the reply: the part received is kept",
        Fault.EMPTY: "The model sent back an empty reply",
        Fault.UNKNOWN_MODEL: "Ollama has not pulled 'local-model': run `ollama pull local-model`",
        Fault.WRONG_PATH: "has no model API at that address (HTTP 404): check",
        Fault.GATEWAY_UNKNOWN_MODEL: "Ollama has not pulled 'local-model'",
    }
    unreachable_message = "Ollama is not running at"

    def configure(self, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
        monkeypatch.setenv("OLLAMA_BASE_URL", url + "/v1")

    def secrets_for(self, url: str) -> dict[str, str]:
        return {"OLLAMA_BASE_URL": url + "/v1"}

    def sent_settings(self, body: dict) -> tuple[float | None, int, str]:
        assert body["messages"][0]["role"] == "system"
        return body.get("temperature"), body["max_tokens"], body["messages"][0]["content"]

    def test_the_sidebar_offers_the_pulled_models(self, server, make_app) -> None:
        model = make_app().selectbox(key="settings.model")
        assert model.options[: len(MODELS)] == MODELS


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_when_ollama_is_not_running_the_demo_model_answers(make_app, send, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1")
    app = make_app()
    notice = next(info.value for info in app.info if "offline demo model" in info.value)
    assert "Ollama is not running at http://127.0.0.1:" in notice
    assert "ollama serve" in notice
    send(app, "Hello?")
    assert 'You said: "Hello?"' in app.session_state["chat.conversation"].messages[-1].content


def test_an_address_that_answers_but_not_as_ollama_says_so(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    wire = WireServer(OpenAIWire(), lists_models=False).start()
    try:
        monkeypatch.setenv("OLLAMA_BASE_URL", wire.url)  # the /v1 forgotten
        notice = next(info.value for info in make_app().info if "offline demo model" in info.value)
    finally:
        wire.stop()
    assert f"{wire.url} answered HTTP 404 when asked for Ollama's models" in notice
    assert "check OLLAMA_BASE_URL, which ends in /v1" in notice
    assert "not running" not in notice
