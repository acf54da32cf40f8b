"""What every model provider must do, checked through the app against a local wire server.

Each provider's test module subclasses ``ProviderContract`` with its wire
protocol, how to point the app at the server, and the sentence expected for
each fault.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import ClassVar

import pytest
from driver import PNG, attach, history, latest_reply, retry
from streamlit.testing.v1 import AppTest
from wire_server import Fault, WireServer

API_KEY = "sk-wire-test-0123456789abcdef"


def visible_text(app: AppTest) -> str:
    kinds = ("markdown", "error", "info", "warning", "caption", "json", "toast", "exception", "text", "code")
    return "\n".join(str(getattr(element, "value", "")) for kind in kinds for element in app.get(kind))


class ProviderContract:
    protocol: type
    #: A fragment of the sentence shown for each fault.
    fault_messages: ClassVar[dict[Fault, str]]
    unreachable_message: str

    def configure(self, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
        raise NotImplementedError

    def secrets_for(self, url: str) -> dict[str, str]:
        """The top-level secrets.toml entries that point the app at ``url``."""
        raise NotImplementedError

    def sent_settings(self, body: dict) -> tuple[float | None, int, str]:
        """Temperature (None when not sent), token limit and system prompt as the request carried them."""
        raise NotImplementedError

    @pytest.fixture
    def server(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[WireServer]:
        server = WireServer(self.protocol()).start()
        monkeypatch.setenv("CHATBOT_MAX_RETRIES", "0")
        monkeypatch.setenv("CHATBOT_TIMEOUT", "1")
        self.configure(monkeypatch, server.url)
        yield server
        server.stop()

    def replies(self, server: WireServer) -> list:
        return [r for r in server.requests if r.method == "POST"]

    def test_a_reply_streams_from_the_service(self, server: WireServer, make_app, send) -> None:
        app = make_app()
        assert not any("offline demo model" in notice.value for notice in app.info)
        send(app, "Hello?")
        assert [(m.role, m.content) for m in history(app)] == [("user", "Hello?"), ("assistant", server.reply)]
        request = self.replies(server)[-1].body
        assert request["stream"] is True
        temperature, _, system_prompt = self.sent_settings(request)
        assert system_prompt == app.text_area(key="settings.system_prompt").value
        assert temperature is None  # left to the model unless the user sets it

    def test_images_and_text_files_reach_the_service_in_its_own_format(
        self, server: WireServer, make_app, send
    ) -> None:
        app = make_app()
        send(attach(app, ("photo.png", PNG), ("notes.md", b"The launch is on Tuesday.")), "What do these say?")
        question = self.replies(server)[-1].body["messages"][-1]
        texts, images = self.protocol.sent_content(question)
        assert images == [("image/png", base64.b64encode(PNG).decode())]
        assert texts == ["What do these say?\n\nAttached file notes.md:\n```\nThe launch is on Tuesday.\n```"]
{%- if cookiecutter.simple_history %}
        send(app, "And now?")
        earlier = self.replies(server)[-1].body["messages"]
        assert self.protocol.sent_content(earlier[-3])[1] == images, "files go again with their turn"
{%- endif %}

    def test_the_service_can_be_configured_in_secrets_toml(
        self, server: WireServer, unstarted_app: AppTest, send, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        secrets = self.secrets_for(server.url)
        for name in secrets:
            monkeypatch.delenv(name, raising=False)
        unstarted_app.secrets.update(secrets)
        app = unstarted_app.run()
        send(app, "Hello?")
        assert history(app)[-1].content == server.reply
        assert len(self.replies(server)) == 1

    def test_settings_reach_the_service(self, server: WireServer, make_app, send) -> None:
        app = make_app()
        app.toggle(key="settings.custom_temperature").set_value(True).run()
        app.slider(key="settings.temperature").set_value(0.9).run()
        app.number_input(key="settings.max_tokens").set_value(200).run()
        app.text_area(key="settings.system_prompt").input("Be terse.").run()
        app.selectbox(key="settings.model").select_index(1).run()
        send(app, "Hello?")
        request = self.replies(server)[-1].body
        assert self.sent_settings(request) == (0.9, 200, "Be terse.")
        assert request["model"] == app.selectbox(key="settings.model").value

    def test_streaming_off_returns_the_whole_reply(self, server: WireServer, make_app, send) -> None:
        app = make_app()
        app.toggle(key="settings.streaming").set_value(False).run()
        send(app, "Hello?")
        assert history(app)[-1].content == server.reply
        assert not self.replies(server)[-1].body.get("stream")

    def test_usage_and_finish_reason_are_reported(self, server: WireServer, make_app) -> None:
        from {{ cookiecutter.package_name }}.messages import Message
        from {{ cookiecutter.package_name }}.providers import active_provider
        from {{ cookiecutter.package_name }}.settings import Settings

        provider, notice = active_provider()
        assert notice is None
        for streaming in (True, False):
            reply = provider.stream([Message(role="user", content="Hi")], Settings(streaming=streaming))
            assert "".join(reply) == server.reply
            assert (reply.usage.input_tokens, reply.usage.output_tokens) == (server.input_tokens, server.output_tokens)
            assert reply.finish_reason
            assert reply.finished

    # A request refused as too long is asked again by the app itself (tested below).
    @pytest.mark.parametrize("fault", [fault for fault in Fault if fault is not Fault.CONTEXT_TOO_LONG])
    def test_a_fault_is_one_sentence_and_retry_recovers(self, fault: Fault, server: WireServer, make_app, send) -> None:
        app = make_app()
        server.fail_next(fault)
        send(app, "Keep my message")
        messages = history(app)
        assert messages[0].content == "Keep my message"
        failed = latest_reply(app)
        assert failed.status in {"error", "interrupted"}
        shown = [error.value for error in app.error]
        assert any(self.fault_messages[fault] in sentence for sentence in shown), shown
        assert all("\n" not in sentence and sentence.endswith(".") for sentence in shown)
        assert API_KEY not in visible_text(app)
        if fault is Fault.BROKEN_STREAM:
            assert failed.status == "interrupted"
            assert failed.content and server.reply.startswith(failed.content)
        retry(app)
        assert [(m.role, m.status) for m in history(app)] == [("user", "complete"), ("assistant", "complete")]
        assert history(app)[-1].content == server.reply

    def test_a_stopped_server_is_reported_and_the_message_kept(self, server: WireServer, make_app, send) -> None:
        app = make_app()
        server.stop()
        send(app, "Anyone there?")
        assert history(app)[0].content == "Anyone there?"
        assert any(self.unreachable_message in error.value for error in app.error)

    def test_credentials_in_the_address_never_reach_the_page_or_the_history(
        self, server: WireServer, make_app, send, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        password = "hunter2-in-the-url"
        self.configure(monkeypatch, server.url.replace("http://", f"http://someone:{password}@"))
        app = make_app()
        for fault in (Fault.UNKNOWN_MODEL, Fault.BROKEN_STREAM):
            server.fail_next(fault)
            send(app, "Hello?")
        server.stop()
        send(app, "Anyone there?")
        assert app.error, "each failure is reported"
        assert password not in visible_text(app)
        assert password not in repr([message.to_dict() for message in history(app)])

    def test_a_passing_server_error_is_retried_and_the_user_told(
        self, server: WireServer, make_app, send, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("CHATBOT_MAX_RETRIES", "2")
        app = make_app()
        server.fail_next(Fault.SERVER_ERROR, Fault.RATE_LIMITED)
        send(app, "Hello?")
        assert history(app)[-1].content == server.reply
        assert len(self.replies(server)) == 3

        from {{ cookiecutter.package_name }}.messages import Message
        from {{ cookiecutter.package_name }}.providers import active_provider
        from {{ cookiecutter.package_name }}.settings import Settings

        server.fail_next(Fault.SERVER_ERROR)
        reply = active_provider()[0].stream([Message(role="user", content="Hi")], Settings())
        told: list[str] = []
        reply.on_retry = told.append
        assert "".join(reply) == server.reply
        assert len(told) == 1 and "trying again in 0 s, attempt 2 of 3." in told[0], told
        assert told[0][0].isupper() and "(HTTP 5" in told[0]

    def test_retries_stop_at_the_configured_count(
        self, server: WireServer, make_app, send, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("CHATBOT_MAX_RETRIES", "1")
        app = make_app()
        server.fail_next(Fault.SERVER_ERROR, Fault.SERVER_ERROR, Fault.SERVER_ERROR)
        send(app, "Hello?")
        assert latest_reply(app).status == "error"
        assert len(self.replies(server)) == 2

    def conversation_sent(self, request: dict) -> list[dict]:
        """The conversation a request carried, without the system prompt."""
        return [message for message in request["messages"] if message["role"] != "system"]

    def test_a_request_refused_as_too_long_is_asked_again_with_less(self, server: WireServer, make_app, send) -> None:
        app = make_app()
        for n in range(3):
            send(app, f"Question {n}: " + "a long question " * 25)
        server.fail_next(Fault.CONTEXT_TOO_LONG)
        send(app, "The newest question")
        refused, retried = (self.conversation_sent(r.body) for r in self.replies(server)[-2:])
        assert refused[-1]["content"] == retried[-1]["content"] == "The newest question"
{%- if cookiecutter.simple_history %}
        assert len(retried) < len(refused) == 7, "the second request leaves older turns out"
        assert retried[0]["role"] == "user"
{%- else %}
        assert len(retried) == len(refused) == 1  # single-turn: the newest message is all there is to send
{%- endif %}
        reply = latest_reply(app)
        assert (reply.status, reply.content) == ("complete", server.reply)
        assert "asked again with" in reply.metadata["context_note"]
        assert any("asked again with" in caption.value for caption in app.caption)

    def test_a_request_too_long_even_with_less_says_what_to_do(self, server: WireServer, make_app, send) -> None:
        app = make_app()
        server.fail_next(Fault.CONTEXT_TOO_LONG, Fault.CONTEXT_TOO_LONG)
        send(app, "Keep my message")
        assert history(app)[0].content == "Keep my message"
        assert latest_reply(app).status == "error"
        shown = [error.value for error in app.error]
        assert any("conversation is too long for" in s and "lower the context budget" in s for s in shown), shown
        assert len(self.replies(server)) == 2, "asked again once, not more"
{%- if cookiecutter.simple_history %}

    def test_the_context_budget_bounds_what_is_sent(self, server: WireServer, make_app, send) -> None:
        from {{ cookiecutter.package_name }}.messages import Message

        app = make_app()
        seeded = [
            Message(role="user" if n % 2 == 0 else "assistant", content=f"Message {n}: " + "some words " * 20)
            for n in range(1000)
        ]
        app.session_state["chat.conversation"].messages = list(seeded)
        app.number_input(key="settings.context_budget").set_value(2000).run()
        send(app, "The newest question")
        request = self.replies(server)[-1].body
        sent = self.conversation_sent(request)
        system_prompt = app.text_area(key="settings.system_prompt").value
        sent_bytes = len(system_prompt.encode()) + sum(len(m["content"].encode()) for m in sent)
        assert sent_bytes / 4 <= 2000, "what is sent fits the budget (at the documented 4 bytes per token)"
        assert sent[-1]["content"] == "The newest question"
        # The newest turns, whole: the sent messages are the tail of the conversation, starting with a question.
        tail = [(m.role, m.content) for m in [*seeded, Message(role="user", content="The newest question")]]
        assert [(m["role"], m["content"]) for m in sent] == tail[-len(sent) :]
        assert sent[0]["role"] == "user"
        assert 20 < len(sent) < 1001
        left_out = 1001 - len(sent)
        assert any(f"{left_out:,} earlier messages are not sent" in caption.value for caption in app.caption)
        assert app.session_state["chat.last_request"].to_dict()["earlier_messages_left_out"] == left_out
{%- endif %}
{%- if cookiecutter.llm_provider != "ollama" %}


class ListedModelsContract:
    """For services reached with a key: the sidebar offers what the service lists, or says why it cannot."""

    models: ClassVar[list[str]]

    def test_the_sidebar_offers_the_services_own_models(self, server: WireServer, make_app) -> None:
        model = make_app().selectbox(key="settings.model")
        assert model.options[: len(self.models)] == self.models
        assert model.value == self.models[0], "the built-in default is not offered where the service lacks it"

    def test_without_a_model_list_the_built_in_names_are_offered_with_a_notice(
        self, server: WireServer, make_app, send
    ) -> None:
        server.lists_models = False
        app = make_app()
        assert app.selectbox(key="settings.model").value not in self.models
        notice = next(caption.value for caption in app.caption if "did not list its models" in caption.value)
        assert "(HTTP 404)" in notice and notice[0].isupper()
        send(app, "Hello?")
        assert history(app)[-1].content == server.reply

{%- endif %}
{%- if cookiecutter.llm_provider != "anthropic" %}


class CompatibleParametersContract:
    """For OpenAI-compatible servers: optional parameters a server refuses are dropped or renamed, once;
    a streamed chunk the app cannot read ends the reply with one sentence."""

    @pytest.mark.parametrize(
        "garbled",
        [[1, 2], {"choices": "none"}, {"choices": [{"delta": "text"}]}, {"choices": ["text"]}],
        ids=["not-an-object", "choices-not-a-list", "delta-not-an-object", "choice-not-an-object"],
    )
    def test_an_unreadable_chunk_keeps_the_part_received_and_says_so(
        self, garbled: object, server: WireServer, make_app, send
    ) -> None:
        server.garbled_event = garbled
        app = make_app()
        send(app, "Keep my message")
        assert not app.exception
        assert history(app)[0].content == "Keep my message"
        cut = latest_reply(app)
        assert cut.status == "interrupted" and cut.content and server.reply.startswith(cut.content)
        shown = [error.value for error in app.error]
        assert any("broke off in the middle of the reply: the part received is kept" in s for s in shown), shown

    def test_a_server_refusing_stream_options_still_streams(self, server: WireServer, make_app, send) -> None:
        server.refused_parameters = {"stream_options"}
        app = make_app()
        send(app, "Hello?")
        send(app, "Again?")
        sent = [r.body for r in server.requests if r.method == "POST"]
        assert ["stream_options" in body for body in sent] == [True, False, False], "asked again without, then never"
        assert history(app)[-1].content == server.reply and latest_reply(app).status == "complete"

    def test_a_model_wanting_max_completion_tokens_gets_it(self, server: WireServer, make_app, send) -> None:
        server.refused_parameters = {"max_tokens"}
        app = make_app()
        app.number_input(key="settings.max_tokens").set_value(300).run()
        send(app, "Hello?")
        send(app, "Again?")
        sent = [r.body for r in server.requests if r.method == "POST"]
        assert [("max_tokens" in body, body.get("max_completion_tokens")) for body in sent] == [
            (True, None),
            (False, 300),
            (False, 300),
        ]
        assert history(app)[-1].content == server.reply
{%- endif %}
