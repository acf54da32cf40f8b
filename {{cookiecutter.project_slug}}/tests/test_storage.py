"""The conversation store, against SQLite and against a real PostgreSQL server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from driver import PNG
from postgres_server import REQUIRED_ENV, URL_ENV, PostgresServer, unavailable_reason

from {{ cookiecutter.package_name }} import storage
from {{ cookiecutter.package_name }}.messages import Attachment, Conversation, Message, conversation_from_export
from {{ cookiecutter.package_name }}.state import StorageError


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if configured := os.environ.get(URL_ENV):
        yield configured
        return
    if reason := unavailable_reason():
        if os.environ.get(REQUIRED_ENV) == "1":
            pytest.fail(f"The PostgreSQL tests are required here ({REQUIRED_ENV}=1), but: {reason}")
        pytest.skip(reason)
    with PostgresServer() as server:
        yield server.url


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    on_sqlite = request.param == "sqlite"
    url = f"sqlite:///{tmp_path / 'chat.db'}" if on_sqlite else request.getfixturevalue("postgres_url")
    engine = sa.create_engine(url)
    if on_sqlite:
        sa.event.listen(engine, "connect", storage._sqlite_pragmas)
    storage.schema.drop_all(engine)  # a clean database for every test
    storage.create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def alice(engine: sa.Engine) -> storage.OwnerStore:
    return storage.OwnerStore(engine, "browser:alice")


@pytest.fixture
def mallory(engine: sa.Engine) -> storage.OwnerStore:
    return storage.OwnerStore(engine, "browser:mallory")


def exchange(store: storage.OwnerStore, conversation: Conversation, prompt: str, reply: str) -> None:
    for message in (Message("user", prompt), Message("assistant", reply)):
        store.add_message(conversation, message)
        conversation.messages.append(message)


def count(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_a_conversation_reads_back_as_it_was_written(alice: storage.OwnerStore) -> None:
    conversation = Conversation(title="Plans", extras={"settings": {"max_tokens": 300}})
    exchange(alice, conversation, "Hello ünïcode 👋", "Hi")
    reply = conversation.messages[-1]
    reply.metadata["feedback"] = {"rating": "up"}
    alice.update_message(conversation.id, reply)
    loaded = alice.load(conversation.id)
    assert loaded is not None
    assert [(m.id, m.role, m.content) for m in loaded.messages] == [
        (m.id, m.role, m.content) for m in conversation.messages
    ]
    assert loaded.messages[-1].metadata == {"feedback": {"rating": "up"}}
    assert loaded.messages[0].created_at == conversation.messages[0].created_at
    assert loaded.title == "Plans" and loaded.extras == {"settings": {"max_tokens": 300}}


def test_a_late_reply_goes_right_after_the_message_it_answers(alice: storage.OwnerStore) -> None:
    conversation = Conversation()
    first, second = Message("user", "first"), Message("user", "second")
    alice.add_message(conversation, first)
    alice.add_message(conversation, second)
    alice.add_message(conversation, Message("assistant", "answer to first"), after=first.id)
    loaded = alice.load(conversation.id)
    assert loaded is not None
    assert [m.content for m in loaded.messages] == ["first", "answer to first", "second"]


def test_an_edit_and_the_messages_it_drops_are_stored_in_one_step(
    alice: storage.OwnerStore, mallory: storage.OwnerStore
) -> None:
    conversation = Conversation()
    exchange(alice, conversation, "first", "answer one")
    exchange(alice, conversation, "second", "answer two")
    edited = dataclasses.replace(conversation.messages[0], content="first, edited")
    later = [m.id for m in conversation.messages[1:]]
    mallory.rewrite(conversation.id, edited, later)  # not hers: nothing changes
    assert alice.load(conversation.id).messages[0].content == "first"
    alice.rewrite(conversation.id, edited, later)
    assert [m.content for m in alice.load(conversation.id).messages] == ["first, edited"]


def test_the_list_is_newest_first_with_a_preview(alice: storage.OwnerStore) -> None:
    older = Conversation(created_at=datetime.now(UTC) - timedelta(hours=1))
    newer = Conversation()
    exchange(alice, older, "Older question", "a")
    exchange(alice, newer, "Newer question", "b")
    assert [(s.id, s.preview) for s in alice.summaries()] == [
        (newer.id, "Newer question"),
        (older.id, "Older question"),
    ]


def test_another_owner_can_neither_list_read_change_nor_delete(
    engine: sa.Engine, alice: storage.OwnerStore, mallory: storage.OwnerStore
) -> None:
    conversation = Conversation(title="Private")
    exchange(alice, conversation, "secret plan", "noted")
    reply = conversation.messages[-1]

    assert mallory.summaries() == []
    assert mallory.load(conversation.id) is None
    assert mallory.search("secret") == []
    mallory.add_message(conversation, Message("user", "injected"))
    mallory.update_message(conversation.id, Message("assistant", "tampered", id=reply.id))
    mallory.remove_messages(conversation.id, [reply.id])
    mallory.remove_messages(conversation.id)
    mallory.save_header(Conversation(id=conversation.id, title="Taken over"))
    mallory.delete(conversation.id)
    with pytest.raises(StorageError):
        mallory.add_conversation(Conversation(id=conversation.id, messages=[Message("user", "x")]))

    loaded = alice.load(conversation.id)
    assert loaded is not None and loaded.title == "Private"
    assert [m.content for m in loaded.messages] == ["secret plan", "noted"]
    assert count(engine, storage.conversations) == 1


def test_delete_removes_the_conversation_and_everything_in_it(engine: sa.Engine, alice: storage.OwnerStore) -> None:
    kept, doomed = Conversation(), Conversation(extras={"review": {"drafts": [{"content": "draft"}]}})
    exchange(alice, kept, "stays", "yes")
    exchange(alice, doomed, "goes", "bye")
    alice.delete(doomed.id)
    assert alice.load(doomed.id) is None
    assert count(engine, storage.conversations) == 1
    assert count(engine, storage.messages) == 2


def test_clearing_keeps_the_conversation_but_not_its_messages(engine: sa.Engine, alice: storage.OwnerStore) -> None:
    conversation = Conversation()
    exchange(alice, conversation, "one", "two")
    alice.remove_messages(conversation.id, [conversation.messages[-1].id])
    assert [m.content for m in alice.load(conversation.id).messages] == ["one"]
    alice.remove_messages(conversation.id)
    assert alice.load(conversation.id).messages == []
    assert count(engine, storage.messages) == 0


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("swallow", ["birds"]),
        ("SWALLOW", ["birds"]),
        ("food", ["food"]),
        ("Recipes", []),
        ("100%", ["food"]),
        ("_", []),
    ],
)
def test_search_finds_titles_and_message_text(alice: storage.OwnerStore, query: str, found: list[str]) -> None:
    birds, food = Conversation(title="birds"), Conversation(title="Recipes")
    exchange(alice, birds, "Where do swallows go?", "South.")
    exchange(alice, food, "Is 100% cocoa bitter?", "Very.")
    food.title = "food"
    alice.save_header(food)
    names = {birds.id: "birds", food.id: "food"}
    assert sorted(names[s.id] for s in alice.search(query)) == found  # "Recipes" was renamed away


def test_search_finds_one_message_among_ten_thousand(alice: storage.OwnerStore) -> None:
    conversations = [Conversation(title=f"Topic {n}") for n in range(50)]
    for conversation in conversations:
        conversation.messages = [Message("user", f"message {i} about item {i * 7}") for i in range(200)]
    conversations[17].messages[123].content = "the needle in the haystack"
    for conversation in conversations:
        alice.add_conversation(conversation)
    assert [hit.id for hit in alice.search("NEEDLE")] == [conversations[17].id]
    assert len(alice.search("item")) == storage.SEARCH_LIMIT


def test_an_import_is_stored_whole_in_one_step(alice: storage.OwnerStore) -> None:
    exported = b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}'
    conversation = conversation_from_export(exported, title="Imported")
    alice.add_conversation(conversation)
    loaded = alice.load(conversation.id)
    assert [m.content for m in loaded.messages] == ["hi", "hello"]
    assert alice.summaries()[0].preview == "hi"


def test_a_failed_write_leaves_no_half_written_rows(engine: sa.Engine, alice: storage.OwnerStore) -> None:
    conversation = Conversation()
    exchange(alice, conversation, "kept", "fine")
    duplicate = Message("assistant", "same id", id=conversation.messages[0].id)
    broken = Conversation(messages=[Message("user", "new"), duplicate])
    with pytest.raises(StorageError, match="nothing was saved"):
        alice.add_conversation(broken)
    assert alice.load(broken.id) is None
    assert count(engine, storage.conversations) == 1
    assert count(engine, storage.messages) == 2


def described(message: Message) -> list[tuple[str, str, str, bytes]]:
    return [(a.id, a.name, a.media_type, a.data) for a in message.attachments]


def test_attachments_are_stored_with_their_message_and_deleted_with_it(
    engine: sa.Engine, alice: storage.OwnerStore, mallory: storage.OwnerStore
) -> None:
    conversation = Conversation()
    files = [Attachment("photo.png", "image/png", PNG), Attachment("notes.md", "text/markdown", b"# Notes")]
    question = Message("user", "Look at these", attachments=files)
    alice.add_message(conversation, question)
    conversation.messages.append(question)
    exchange(alice, conversation, "And this one?", "Yes.")
    loaded = alice.load(conversation.id)
    assert described(loaded.messages[0]) == described(question)
    assert [m.attachments for m in loaded.messages[1:]] == [[], []]
    assert mallory.load(conversation.id) is None
    alice.rewrite(conversation.id, dataclasses.replace(question, content="Look again"), [])
    assert described(alice.load(conversation.id).messages[0]) == described(question), "an edit keeps the files"
    alice.remove_messages(conversation.id, [question.id])
    assert count(engine, storage.attachments) == 0


@pytest.mark.parametrize("how", ["clear", "delete", "drop after an edit"])
def test_every_way_of_removing_a_message_removes_its_files(
    engine: sa.Engine, alice: storage.OwnerStore, how: str
) -> None:
    conversation = Conversation()
    exchange(alice, conversation, "First", "One")
    with_file = Message("user", "Second", attachments=[Attachment("photo.png", "image/png", PNG)])
    alice.add_message(conversation, with_file)
    assert count(engine, storage.attachments) == 1
    if how == "clear":
        alice.remove_messages(conversation.id)
    elif how == "delete":
        alice.delete(conversation.id)
    else:
        alice.rewrite(conversation.id, conversation.messages[0], [with_file.id])
    assert count(engine, storage.attachments) == 0


def test_an_imported_conversation_keeps_its_files(alice: storage.OwnerStore) -> None:
    row = Message("user", "Look", attachments=[Attachment("photo.png", "image/png", PNG)]).to_dict()
    imported = conversation_from_export(json.dumps({"messages": [row]}).encode())
    alice.add_conversation(imported)
    assert [a.data for a in alice.load(imported.id).messages[0].attachments] == [PNG]


def test_a_database_of_the_first_schema_gains_the_attachments_table(engine: sa.Engine) -> None:
    storage.attachments.drop(engine)
    with engine.begin() as connection:
        connection.execute(storage.schema_version.update().values(version=1))
    storage.create_schema(engine)
    with engine.connect() as connection:
        assert connection.execute(sa.select(storage.schema_version.c.version)).scalar() == 2
    assert count(engine, storage.attachments) == 0


def test_the_schema_carries_its_version_and_refuses_a_newer_one(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(sa.select(storage.schema_version.c.version)).scalar() == storage.SCHEMA_VERSION
    with engine.begin() as connection:
        connection.execute(storage.schema_version.update().values(version=storage.SCHEMA_VERSION + 1))
    with pytest.raises(StorageError, match="update the app"):
        storage.create_schema(engine)


def test_sqlite_runs_in_wal_mode_syncing_at_checkpoints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(storage.URL_ENV, f"sqlite:///{tmp_path / 'nested' / 'chat.db'}")
    engine = storage.connect()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    assert (tmp_path / "nested" / "chat.db").exists()


def test_a_relative_sqlite_path_is_fixed_where_the_app_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(storage.URL_ENV, "sqlite:///data/chat.db")
    assert storage.database_url() == f"sqlite:///{tmp_path.resolve() / 'data' / 'chat.db'}"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://someone:hunter2@127.0.0.1:1/chat",
        "sqlite:////proc/no-such-dir/chat.db",
        "not a url",
    ],
)
def test_an_unusable_database_is_reported_in_one_sentence(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv(storage.URL_ENV, url)
    with pytest.raises(StorageError) as raised:
        storage.connect()
    message = str(raised.value)
    assert "cannot be used" in message and storage.URL_ENV in message
    assert "hunter2" not in message
