"""Files sent with a message: taken or refused as the settings say, shown, counted, exported, answered."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

import pytest
from driver import PNG, attach, click, history, labels, send
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import attachments, chat
from {{ cookiecutter.package_name }}.context import IMAGE_TOKENS, fit, message_tokens
from {{ cookiecutter.package_name }}.messages import Attachment, Conversation, Message, conversation_from_export

NOTES = b"# Notes\n\nThe launch is on Tuesday.\n"


@dataclass
class Upload:
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def accepted(*uploads: Upload, types: tuple[str, ...] = tuple(attachments.KNOWN_TYPES), max_mb: float = 5.0):
    return attachments.accepted(list(uploads), types=types, max_mb=max_mb)


def refusal(*uploads: Upload, **limits) -> str:
    with pytest.raises(attachments.Refused) as refused:
        accepted(*uploads, **limits)
    return str(refused.value)


def errors(app: AppTest) -> str:
    return "\n".join(error.value for error in app.error)


# --- Which files are taken ---


def test_images_and_text_files_are_taken_with_their_type_from_the_extension() -> None:
    image, notes = accepted(Upload("photo.PNG", PNG), Upload("notes.md", NOTES))
    assert (image.name, image.media_type, image.is_image, image.size) == ("photo.PNG", "image/png", True, len(PNG))
    assert (notes.media_type, notes.is_image, notes.text()) == ("text/markdown", False, NOTES.decode())


def test_a_file_of_another_type_is_refused_with_what_is_taken() -> None:
    problem = refusal(Upload("setup.exe", b"MZ"), types=("png", "txt"))
    assert problem == "setup.exe is not a kind of file this chatbot takes: attach png, txt files."


def test_a_file_over_the_size_limit_is_refused_with_the_limit() -> None:
    assert refusal(Upload("big.txt", b"x" * 2_000), max_mb=0.001) == (
        "big.txt is 2.0 KB; files up to 0.001 MB can be attached."
    )


def test_a_file_whose_bytes_are_not_what_its_name_says_is_refused() -> None:
    assert "fake.png is not a readable PNG image" in refusal(Upload("fake.png", b"<svg onload=alert(1)>"))
    assert "data.csv is not UTF-8 text" in refusal(Upload("data.csv", b"\xff\xfe\x00binary"))


def test_too_many_files_are_refused() -> None:
    assert "a message can carry up to" in refusal(*[Upload(f"{n}.txt", b"x") for n in range(attachments.MAX_FILES + 1)])


def test_with_no_types_allowed_every_file_is_refused() -> None:
    assert refusal(Upload("notes.txt", b"x"), types=()) == "This chatbot does not take files."


def test_file_names_lose_folders_control_characters_and_excess_length() -> None:
    assert attachments.clean_name("C:\\Users\\me\\report.txt") == "report.txt"
    assert attachments.clean_name("../../etc/pass\x00wd\n.txt") == "passwd.txt"
    long = attachments.clean_name("a" * 300 + ".json")
    assert len(long) == attachments.NAME_LIMIT and long.endswith("….json")


# --- What the model gets ---


def test_text_files_reach_the_model_as_text_under_their_name_in_a_fence_they_cannot_close() -> None:
    tricky = Attachment("tricky.md", "text/markdown", b"```\nnot the end\n````")
    text = Message("user", "Summarise", attachments=[tricky]).model_text()
    assert text.startswith("Summarise\n\nAttached file tricky.md:\n`````\n")
    assert text.endswith("\n`````")


def test_attachments_count_against_the_context_budget() -> None:
    plain = Message("user", "Look")
    files = [Attachment("a.png", "image/png", PNG), *accepted(Upload("n.md", NOTES))]
    with_files = Message("user", "Look", attachments=files)
    assert message_tokens(with_files) >= message_tokens(plain) + IMAGE_TOKENS + len(NOTES) // 4
    history = [with_files, Message("assistant", "Seen."), Message("user", "And now?")]
    sent = fit(history, "", budget=IMAGE_TOKENS)
    assert sent.left_out == 2, "the turn with the image does not fit beside the newest one"


# --- In the app ---


def test_files_are_sent_shown_and_acknowledged_by_the_demo_model(app: AppTest) -> None:
    attach(app, ("photo.png", PNG), ("notes.md", NOTES))
    send(app, "What is in these?")
    question, reply = history(app)
    assert [(a.name, a.media_type, a.data) for a in question.attachments] == [
        ("photo.png", "image/png", PNG),
        ("notes.md", "text/markdown", NOTES),
    ]
    notes = f"notes.md (text/markdown, {len(NOTES)} bytes)"
    assert f"You attached 2 files: photo.png (image/png, {len(PNG)} bytes), {notes}." in reply.content
    # st.badge draws Markdown's badge directive.
    assert any("badge[" in chip.value and notes in chip.value for chip in app.markdown), "a chip for the text file"
    assert any("photo.png" in str(image.proto) for image in app.get("image")), "a thumbnail of the image"


def test_a_message_of_files_alone_is_sent(app: AppTest) -> None:
    send(attach(app, ("notes.txt", b"hello")), "")
    assert history(app)[0].content == "" and [a.name for a in history(app)[0].attachments] == ["notes.txt"]
    assert "You sent no text" in history(app)[-1].content


def test_a_refused_file_keeps_the_typed_text_to_send_again(app: AppTest) -> None:
    attach(app, ("setup.exe", b"MZ"))
    app.chat_input[0].set_value("Please check this installer").run()
    assert history(app) == [], "nothing was sent"
    assert "setup.exe is not a kind of file this chatbot takes" in errors(app)
    assert "Your message was not sent; it is kept here." in errors(app)
    assert any("Please check this installer" in code.value for code in app.code)
    click(app, "Send again")
    if "Accept" in labels(app):
        click(app, "Accept")
    assert [(m.content, m.attachments) for m in history(app)[:1]] == [("Please check this installer", [])]


def test_an_oversized_file_is_refused_with_the_configured_limit(unstarted_app: AppTest, monkeypatch) -> None:
    monkeypatch.setenv("CHATBOT_ATTACHMENT_MAX_MB", "0.01")
    app = unstarted_app.run()
    attach(app, ("log.txt", b"x" * 20_000)).chat_input[0].set_value("Why does it fail?").run()
    assert "log.txt is 20.0 KB; files up to 0.01 MB can be attached." in errors(app)
    assert history(app) == []


def test_attachments_can_be_turned_off(unstarted_app: AppTest) -> None:
    unstarted_app.secrets["chatbot"] = {"attachments": False}
    app = unstarted_app.run()
    assert not app.chat_input[0].proto.accept_file, "the chat box offers no files"
    send(app, "Still works without files")
    assert history(app)[0].content == "Still works without files"


def test_a_bad_attachment_setting_is_explained(unstarted_app: AppTest) -> None:
    unstarted_app.secrets["chatbot"] = {"attachment_types": ["png", "exe"]}
    app = unstarted_app.run()
    assert any("attachment_types in [chatbot]" in warning.value for warning in app.sidebar.warning)


def test_a_message_with_files_over_the_budget_is_kept_with_its_files(app: AppTest) -> None:
    app.number_input(key="settings.context_budget").set_value(1000).run()
    attach(app, ("photo.png", PNG)).chat_input[0].set_value("Describe it").run()
    assert history(app) == []
    assert "with its files and the system prompt, more than the context budget of 1,000" in errors(app)
    app.number_input(key="settings.context_budget").set_value(5000).run()
    click(app, "Send again")
    if "Accept" in labels(app):
        click(app, "Accept")
    assert [a.name for a in history(app)[0].attachments] == ["photo.png"]


def test_editing_a_message_keeps_its_files(app: AppTest) -> None:
    send(attach(app, ("notes.md", NOTES)), "Summarise")
    question = history(app)[0]
    app.button(key=chat.edit_key(question.id)).click().run()
    app.text_area(key=f"edit-text-{question.id}").input("Summarise in one line")
    click(app, "Save and ask again")
    if "Accept" in labels(app):
        click(app, "Accept")
    edited = history(app)[0]
    assert edited.content == "Summarise in one line" and [a.name for a in edited.attachments] == ["notes.md"]
    assert "notes.md (text/markdown" in history(app)[-1].content


def test_the_debug_view_describes_files_without_their_bytes(app: AppTest) -> None:
    app.toggle(key="settings.debug").set_value(True).run()
    send(attach(app, ("photo.png", PNG)), "Look")
    shown = "\n".join(str(element.value) for element in app.json)
    assert f"photo.png (image/png, {len(PNG)} bytes)" in shown
    assert base64.b64encode(PNG).decode() not in shown


# --- Exports ---


def test_an_exported_conversation_brings_its_files_back_on_import() -> None:
    image = Attachment("photo.png", "image/png", PNG)
    original = Conversation(messages=[Message("user", "Look", attachments=[image]), Message("assistant", "A dot.")])
    exported = json.dumps({"messages": [m.to_dict() for m in original.messages]}).encode()
    imported = conversation_from_export(exported)
    restored = imported.messages[0].attachments
    assert [(a.name, a.media_type, a.data) for a in restored] == [("photo.png", "image/png", PNG)]
    assert restored[0].id != image.id


def test_an_export_with_a_tampered_file_is_refused() -> None:
    row = Message("user", "Look", attachments=[Attachment("photo.png", "image/png", PNG)]).to_dict()
    row["attachments"][0]["data"] = base64.b64encode(b"not an image").decode()
    with pytest.raises(ValueError, match="not a readable PNG image"):
        conversation_from_export(json.dumps({"messages": [row]}).encode())
