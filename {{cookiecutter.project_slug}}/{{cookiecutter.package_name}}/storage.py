"""Conversations kept in a SQL database, reached through ``st.connection(..., type="sql")``.

Everything is scoped by owner: each query names the owner, so an id alone
opens nothing. Each change runs in one transaction, so a fault leaves no
half-written rows. The schema is created on first start and carries a version
(see the README's "Stored conversations" for how a change is rolled out).

Where the database is: ``CHATBOT_DATABASE_URL`` in the environment, else
``url`` under ``[connections.chat_db]`` in ``.streamlit/secrets.toml``, else
``DEFAULT_URL``. SQLite and PostgreSQL are both supported, so moving from
one to the other is a change of URL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from . import owner, settings, state
from .messages import PREVIEW_LENGTH, Attachment, Conversation, Message, Summary
from .state import StorageError

DEFAULT_URL = "{% if cookiecutter.persistence == 'postgresql' %}postgresql+psycopg://chatbot:chatbot@127.0.0.1:5432/chatbot{% else %}sqlite:///data/chatbot.db{% endif %}"
URL_ENV = "CHATBOT_DATABASE_URL"
CONNECTION_NAME = "chat_db"
#: 1: conversations and messages. 2: attachments (a table of its own; version 1 databases gain it at start).
SCHEMA_VERSION = 2
SEARCH_LIMIT = 20
#: How long a SQLite write waits for another process's lock before it fails (and the message is kept).
BUSY_TIMEOUT_MS = 5000

schema = sa.MetaData()
schema_version = sa.Table("chatbot_schema", schema, sa.Column("version", sa.Integer, nullable=False))
conversations = sa.Table(
    "chatbot_conversations",
    schema,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("owner", sa.String(320), nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False, default=""),
    # The start of the first message, kept so the sidebar can list titles without reading messages.
    sa.Column("preview", sa.Text, nullable=False, default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("extras", sa.JSON, nullable=False),
)
messages = sa.Table(
    "chatbot_messages",
    schema,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column(
        "conversation_id",
        sa.String(32),
        sa.ForeignKey(conversations.c.id, ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("metadata", sa.JSON, nullable=False),
    sa.Index("chatbot_messages_in_order", "conversation_id", "position"),
)
attachments = sa.Table(
    "chatbot_attachments",
    schema,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column(
        "message_id",
        sa.String(32),
        sa.ForeignKey(messages.c.id, ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("media_type", sa.String(100), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)


def database_url() -> str:
    """The configured URL; a SQLite file's path made absolute, so it cannot follow the working directory."""
    url = os.environ.get(URL_ENV)
    if not url:
        try:
            url = str(st.secrets.get("connections", {}).get(CONNECTION_NAME, {}).get("url") or DEFAULT_URL)
        except FileNotFoundError:  # no secrets file at all
            url = DEFAULT_URL
    try:
        parsed = make_url(url)
    except Exception:  # reported with the reason by connect()
        return url
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        parsed = parsed.set(database=str(Path(parsed.database).resolve()))
        return parsed.render_as_string(hide_password=False)
    return url


def where(url: str) -> str:
    """The database named without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the configured URL (it could not be read as a database URL)"


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    """One engine per process and URL, with the schema in place."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = st.connection(CONNECTION_NAME, type="sql", url=url, pool_pre_ping=True).engine
    if parsed.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        engine.dispose()  # connections made before the listener lacked the pragmas
    create_schema(engine)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets readers go on while a reply is written; foreign keys make deletes cascade.
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode, NORMAL syncs to disk at checkpoints rather than at every commit (three a reply).
    # A commit still survives the app being killed; only a power cut can undo the last few.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def create_schema(engine: Engine) -> None:
    with engine.begin() as connection:
        schema.create_all(connection)
        found = connection.execute(sa.select(schema_version.c.version)).scalar()
        if found is None:
            connection.execute(schema_version.insert().values(version=SCHEMA_VERSION))
        elif found < SCHEMA_VERSION:
            # Each version so far only added tables, which create_all has just made.
            connection.execute(schema_version.update().values(version=SCHEMA_VERSION))
        elif found > SCHEMA_VERSION:
            raise StorageError(
                f"The database has schema version {found}, newer than this app's {SCHEMA_VERSION}: "
                "update the app before starting it on this database."
            )


def connect() -> Engine:
    """The engine for the configured database; a ``StorageError`` saying what to fix if it cannot be used."""
    url = database_url()
    try:
        return _engine(url)
    except StorageError:
        raise
    except Exception as error:  # a bad URL, a missing driver, an unreachable or unwritable database
        raise StorageError(
            f"The conversation database at {where(url)} cannot be used ({type(error).__name__}: "
            f"{str(error).splitlines()[0][:200]}). Check that it is running and writable, or set "
            f"{URL_ENV} (or url under [connections.{CONNECTION_NAME}] in .streamlit/secrets.toml)."
        ) from error


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _message_row(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "role": message.role,
        "content": message.content,
        "status": message.status,
        "created_at": message.created_at,
        "metadata": message.metadata,
    }


def _message(row: Any, files: list[Attachment]) -> Message:
    return Message(
        role=row.role,
        content=row.content,
        id=row.id,
        created_at=_aware(row.created_at),
        status=row.status,
        metadata=dict(row.metadata or {}),
        attachments=files,
    )


def _attachment_rows(message: Message) -> list[dict[str, Any]]:
    return [
        {
            "id": file.id,
            "message_id": message.id,
            "position": position,
            "name": file.name,
            "media_type": file.media_type,
            "data": file.data,
        }
        for position, file in enumerate(message.attachments)
    ]


def _delete_messages(connection: Connection, condition: Any) -> None:
    """Delete the messages matching ``condition`` and their files (not left to the database's cascade)."""
    chosen = sa.select(messages.c.id).where(condition)
    connection.execute(attachments.delete().where(attachments.c.message_id.in_(chosen)))
    connection.execute(messages.delete().where(condition))


class OwnerStore:
    """One owner's conversations. Every method reads or writes only what this owner owns."""

    def __init__(self, engine: Engine, owner: str) -> None:
        self.engine = engine
        self.owner = owner

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as connection:
                yield connection
        except SQLAlchemyError as error:
            raise StorageError(
                "The conversation database could not be reached, so nothing was saved "
                f"({type(error).__name__}). Try again in a moment; if it goes on, check the database."
            ) from error

    def _owns(self, connection: Connection, conversation_id: str) -> bool:
        found = connection.execute(
            sa.select(conversations.c.id).where(
                conversations.c.id == conversation_id, conversations.c.owner == self.owner
            )
        ).first()
        return found is not None

    # --- Reading ---

    def summaries(self) -> list[Summary]:
        """The owner's conversations, newest first."""
        query = (
            sa.select(conversations.c.id, conversations.c.title, conversations.c.preview, conversations.c.created_at)
            .where(conversations.c.owner == self.owner)
            .order_by(conversations.c.created_at.desc())
        )
        with self._transaction() as connection:
            rows = connection.execute(query).all()
        return [Summary(row.id, row.title, row.preview, _aware(row.created_at)) for row in rows]

    def load(self, conversation_id: str) -> Conversation | None:
        """The conversation with its messages, or None if the owner has none with this id."""
        with self._transaction() as connection:
            header = connection.execute(
                sa.select(conversations).where(
                    conversations.c.id == conversation_id, conversations.c.owner == self.owner
                )
            ).first()
            if header is None:
                return None
            in_conversation = messages.c.conversation_id == conversation_id
            rows = connection.execute(sa.select(messages).where(in_conversation).order_by(messages.c.position)).all()
            files: dict[str, list[Attachment]] = {}
            for file in connection.execute(
                sa.select(attachments)
                .where(attachments.c.message_id.in_(sa.select(messages.c.id).where(in_conversation)))
                .order_by(attachments.c.position)
            ):
                files.setdefault(file.message_id, []).append(
                    Attachment(name=file.name, media_type=file.media_type, data=bytes(file.data), id=file.id)
                )
        return Conversation(
            messages=[_message(row, files.get(row.id, [])) for row in rows],
            id=header.id,
            title=header.title,
            created_at=_aware(header.created_at),
            extras=dict(header.extras or {}),
        )

    def latest(self) -> Conversation | None:
        summaries = self.summaries()
        return self.load(summaries[0].id) if summaries else None

    def search(self, text: str) -> list[Summary]:
        """The owner's conversations whose title or messages contain ``text`` (any case), newest first."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        in_messages = sa.select(messages.c.conversation_id).where(messages.c.content.ilike(pattern, escape="\\"))
        query = (
            sa.select(conversations.c.id, conversations.c.title, conversations.c.preview, conversations.c.created_at)
            .where(
                conversations.c.owner == self.owner,
                sa.or_(
                    conversations.c.title.ilike(pattern, escape="\\"),
                    conversations.c.id.in_(in_messages),
                ),
            )
            .order_by(conversations.c.created_at.desc())
            .limit(SEARCH_LIMIT)
        )
        with self._transaction() as connection:
            rows = connection.execute(query).all()
        return [Summary(row.id, row.title, row.preview, _aware(row.created_at)) for row in rows]

    # --- Writing ---

    def _ensure(self, connection: Connection, conversation: Conversation) -> bool:
        """Create the conversation's row if it has none; False if its id belongs to someone else."""
        if self._owns(connection, conversation.id):
            return True
        taken = connection.execute(sa.select(conversations.c.id).where(conversations.c.id == conversation.id)).first()
        if taken is not None:
            return False
        connection.execute(
            conversations.insert().values(
                id=conversation.id,
                owner=self.owner,
                title=conversation.title,
                preview="",
                created_at=conversation.created_at,
                updated_at=_now(),
                extras=conversation.extras,
            )
        )
        return True

    def add_message(self, conversation: Conversation, message: Message, *, after: str | None = None) -> None:
        """Store ``message`` at the end, or right after the message with id ``after``."""
        with self._transaction() as connection:
            if not self._ensure(connection, conversation):
                return
            in_conversation = messages.c.conversation_id == conversation.id
            if after is None:
                position = connection.execute(
                    sa.select(sa.func.max(messages.c.position)).where(in_conversation)
                ).scalar()
                position = 0 if position is None else position + 1
            else:
                before = connection.execute(
                    sa.select(messages.c.position).where(in_conversation, messages.c.id == after)
                ).scalar()
                if before is None:
                    return
                position = before + 1
                connection.execute(
                    messages.update()
                    .where(in_conversation, messages.c.position >= position)
                    .values(position=messages.c.position + 1)
                )
            connection.execute(
                messages.insert().values(conversation_id=conversation.id, position=position, **_message_row(message))
            )
            if message.attachments:
                connection.execute(attachments.insert(), _attachment_rows(message))
            values: dict[str, Any] = {"updated_at": _now()}
            if message.role == "user":
                header = connection.execute(
                    sa.select(conversations.c.preview).where(conversations.c.id == conversation.id)
                ).scalar()
                if not header:
                    values["preview"] = message.content[:PREVIEW_LENGTH]
            connection.execute(conversations.update().where(conversations.c.id == conversation.id).values(**values))

    def update_message(self, conversation_id: str, message: Message) -> None:
        """Store a message's new content, status or metadata (feedback, an edit)."""
        with self._transaction() as connection:
            if self._owns(connection, conversation_id):
                row = _message_row(message)
                del row["id"]
                connection.execute(
                    messages.update()
                    .where(messages.c.conversation_id == conversation_id, messages.c.id == message.id)
                    .values(**row)
                )

    def rewrite(self, conversation_id: str, message: Message, dropped: list[str]) -> None:
        """Store an edited message and delete the messages after it, in one transaction."""
        with self._transaction() as connection:
            if self._owns(connection, conversation_id):
                in_conversation = messages.c.conversation_id == conversation_id
                if dropped:
                    _delete_messages(connection, sa.and_(in_conversation, messages.c.id.in_(dropped)))
                row = _message_row(message)
                del row["id"]
                connection.execute(messages.update().where(in_conversation, messages.c.id == message.id).values(**row))

    def remove_messages(self, conversation_id: str, message_ids: list[str] | None = None) -> None:
        """Delete the given messages, or every message of the conversation."""
        with self._transaction() as connection:
            if self._owns(connection, conversation_id):
                condition = messages.c.conversation_id == conversation_id
                if message_ids is not None:
                    condition = sa.and_(condition, messages.c.id.in_(message_ids))
                _delete_messages(connection, condition)
                if message_ids is None:
                    connection.execute(
                        conversations.update().where(conversations.c.id == conversation_id).values(preview="")
                    )

    def save_header(self, conversation: Conversation) -> None:
        """Store a conversation's title and extras (settings, a draft under review); creates it if new."""
        with self._transaction() as connection:
            if self._ensure(connection, conversation):
                connection.execute(
                    conversations.update()
                    .where(conversations.c.id == conversation.id)
                    .values(title=conversation.title, extras=conversation.extras, updated_at=_now())
                )

    def delete(self, conversation_id: str) -> None:
        """Delete the conversation and everything in it."""
        with self._transaction() as connection:
            if self._owns(connection, conversation_id):
                _delete_messages(connection, messages.c.conversation_id == conversation_id)
                connection.execute(conversations.delete().where(conversations.c.id == conversation_id))

    def add_conversation(self, conversation: Conversation) -> None:
        """Store a whole conversation (an import) in one transaction."""
        with self._transaction() as connection:
            if not self._ensure(connection, conversation):
                raise StorageError("That conversation could not be stored: its id is taken. Import it again.")
            rows = [
                {"conversation_id": conversation.id, "position": position, **_message_row(message)}
                for position, message in enumerate(conversation.messages)
            ]
            if rows:
                connection.execute(messages.insert(), rows)
            if files := [row for message in conversation.messages for row in _attachment_rows(message)]:
                connection.execute(attachments.insert(), files)
            first = next((m.content for m in conversation.messages if m.role == "user"), "")
            connection.execute(
                conversations.update()
                .where(conversations.c.id == conversation.id)
                .values(preview=first[:PREVIEW_LENGTH], title=conversation.title)
            )


def attach(title: str) -> None:
    """Keep this session's conversations in the database, under its owner.

    The first run of a session opens the owner's newest conversation. While
    login is required and nobody is logged in, the run ends on a login page;
    if the database cannot be used, on a page saying what to fix.
    """
    who = owner.current()
    if who is None:
        owner.render_login_page(title)
        st.stop()
    try:
        if state.attach_store(OwnerStore(connect(), who)) and (latest := state.latest_stored()):
            state.switch_to(latest)
            settings.restore(latest.extras.get(settings.EXTRAS_KEY))
    except StorageError as error:
        st.sidebar.caption("The chat opens once its database can be used.")  # the page shows once it has a sidebar
        st.title(title)
        st.error(str(error), icon=":material/database:")
        st.stop()
