"""The PostgreSQL schema: SQLite's tables, with each text's words in a `tsvector` beside it."""

from __future__ import annotations

# Held while the schema is made, so that several hosts starting at once do not race.
SCHEMA_LOCK = 0x626F617264  # "board"

SCHEMA = """
CREATE TABLE IF NOT EXISTS boards (
    board_id   text PRIMARY KEY,
    seq        bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    name       text NOT NULL,
    created_at double precision NOT NULL,
    updated_at double precision NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    file_id    text PRIMARY KEY,
    seq        bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    board_id   text NOT NULL REFERENCES boards ON DELETE CASCADE,
    filename   text NOT NULL,
    size       bigint NOT NULL,
    status     text NOT NULL,
    pages      integer,
    error      text,
    created_at double precision NOT NULL,
    text_version       integer NOT NULL DEFAULT 0,
    pages_without_text text NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS files_board ON files (board_id);
CREATE TABLE IF NOT EXISTS pages (
    file_id text NOT NULL REFERENCES files ON DELETE CASCADE,
    page    integer NOT NULL,
    text    text NOT NULL,
    PRIMARY KEY (file_id, page)
);
-- `words` is bm25's length of a passage; `lexemes` holds each word once, with positions
-- 1 to its count (pg/lexemes.py).
CREATE TABLE IF NOT EXISTS passages (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_id text NOT NULL REFERENCES files ON DELETE CASCADE,
    page    integer NOT NULL,
    text    text NOT NULL,
    words   integer NOT NULL,
    lexemes tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_page ON passages (file_id, page);
CREATE INDEX IF NOT EXISTS passages_lexemes ON passages USING gin (lexemes);
-- Passage vectors of the embedding model in use (unit length, float32).
CREATE TABLE IF NOT EXISTS vectors (
    passage_id bigint PRIMARY KEY REFERENCES passages ON DELETE CASCADE,
    board_id   text NOT NULL,
    model      text NOT NULL,
    vector     bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS vectors_board ON vectors (board_id, model);
CREATE TABLE IF NOT EXISTS notes (
    note_id    text PRIMARY KEY,
    seq        bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    board_id   text NOT NULL REFERENCES boards ON DELETE CASCADE,
    title      text NOT NULL,
    text       text NOT NULL,
    created_at double precision NOT NULL,
    updated_at double precision NOT NULL,
    words      integer NOT NULL,
    lexemes    tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_board ON notes (board_id);
CREATE INDEX IF NOT EXISTS notes_lexemes ON notes USING gin (lexemes);
CREATE TABLE IF NOT EXISTS views (
    board_id   text PRIMARY KEY REFERENCES boards ON DELETE CASCADE,
    file_id    text NOT NULL REFERENCES files ON DELETE CASCADE,
    page       integer NOT NULL,
    updated_at double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS views_file ON views (file_id);
CREATE TABLE IF NOT EXISTS history (
    entry_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    board_id      text NOT NULL REFERENCES boards ON DELETE CASCADE,
    question      text NOT NULL,
    answer        text NOT NULL,
    sources       text NOT NULL,
    finish_reason text NOT NULL,
    created_at    double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS history_board ON history (board_id, entry_id);
-- Each process's lease (renewed by its heartbeat) and the files it is ingesting. A claim
-- may come before its file's record, so it has no foreign key.
CREATE TABLE IF NOT EXISTS owners (
    owner      text PRIMARY KEY,
    expires_at double precision NOT NULL
);
CREATE TABLE IF NOT EXISTS ingest_claims (
    file_id text PRIMARY KEY,
    owner   text NOT NULL
);
"""

# Held by whoever claims files, so that two processes never both win one.
CLAIM_LOCK = 0x636C61696D  # "claim"
