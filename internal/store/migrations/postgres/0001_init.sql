-- Relevo schema, PostgreSQL dialect. Times are integer Unix milliseconds in
-- both dialects so the SQL that reads and compares them is shared.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'offline',
    pause_reason TEXT NOT NULL DEFAULT '',
    max_chats INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE UNIQUE INDEX users_email ON users (email) WHERE deleted_at IS NULL;

CREATE TABLE bots (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    auto_close_after BIGINT NOT NULL,
    notices TEXT NOT NULL DEFAULT '{}',
    flow TEXT NOT NULL DEFAULT '',
    webhook_url TEXT NOT NULL DEFAULT '',
    webhook_secret TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE bot_members (
    bot_id TEXT NOT NULL REFERENCES bots (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (bot_id, user_id)
);
CREATE INDEX bot_members_user ON bot_members (user_id);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    bot_id TEXT NOT NULL REFERENCES bots (id),
    deleted_at BIGINT
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    bot_id TEXT NOT NULL REFERENCES bots (id),
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    config TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);

CREATE TABLE reasons (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    bot_id TEXT NOT NULL DEFAULT ''
);

CREATE TABLE tags (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    color TEXT NOT NULL DEFAULT ''
);

CREATE TABLE templates (
    id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES channels (id),
    name TEXT NOT NULL,
    language TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    roles TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'APPROVED',
    UNIQUE (channel_id, name, language)
);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    bot_id TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures INTEGER NOT NULL
);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    bot_id TEXT NOT NULL REFERENCES bots (id),
    name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    external_id TEXT NOT NULL DEFAULT '',
    attributes TEXT NOT NULL DEFAULT '{}',
    blocked INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX contacts_name ON contacts (name);
CREATE INDEX contacts_phone ON contacts (phone);

-- A contact's identity on one channel: wa_id, widget id, external id.
CREATE TABLE contact_identities (
    channel_id TEXT NOT NULL,
    external_id TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    PRIMARY KEY (channel_id, external_id)
);

CREATE TABLE contact_notes (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    author_id TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX contact_notes_contact ON contact_notes (contact_id, created_at);

CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    protocol TEXT,
    bot_id TEXT NOT NULL REFERENCES bots (id),
    channel_id TEXT NOT NULL REFERENCES channels (id),
    channel_type TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    phase TEXT NOT NULL,
    assignee_id TEXT,
    team_id TEXT,
    waiting_since BIGINT,
    last_message_at BIGINT NOT NULL,
    window_expires_at BIGINT,
    locked_until BIGINT,
    lock_id TEXT,
    auto_close_at BIGINT,
    seq BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 0,
    closed_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE UNIQUE INDEX conversations_protocol ON conversations (protocol) WHERE protocol IS NOT NULL;
-- One open conversation per contact and channel.
CREATE UNIQUE INDEX conversations_open ON conversations (contact_id, channel_id) WHERE phase <> 'closed';
CREATE INDEX conversations_contact ON conversations (contact_id, created_at);
CREATE INDEX conversations_phase_updated ON conversations (phase, updated_at);
CREATE INDEX conversations_bot_updated ON conversations (bot_id, updated_at);
CREATE INDEX conversations_assignee ON conversations (assignee_id, phase);
CREATE INDEX conversations_updated ON conversations (updated_at);
CREATE INDEX conversations_auto_close ON conversations (auto_close_at) WHERE phase <> 'closed';
CREATE INDEX conversations_locked ON conversations (locked_until) WHERE locked_until IS NOT NULL;

CREATE TABLE conversation_tags (
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    tag_id TEXT NOT NULL REFERENCES tags (id),
    PRIMARY KEY (conversation_id, tag_id)
);
CREATE INDEX conversation_tags_tag ON conversation_tags (tag_id);

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    channel_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    author_type TEXT NOT NULL,
    author_id TEXT,
    author_name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    attachments TEXT NOT NULL DEFAULT '[]',
    event TEXT,
    event_type TEXT,
    event_to TEXT,
    reason_id TEXT,
    status TEXT NOT NULL,
    error TEXT,
    external_id TEXT,
    client_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX messages_seq ON messages (conversation_id, seq);
CREATE UNIQUE INDEX messages_external ON messages (channel_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX messages_client ON messages (conversation_id, author_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX messages_author ON messages (conversation_id, author_type, seq);
CREATE INDEX messages_event ON messages (event_type, created_at) WHERE event_type IS NOT NULL;

-- Full-text search over what customers, bots and agents wrote, and over
-- contacts' names and phones.
ALTER TABLE messages ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    CASE WHEN kind <> 'event' THEN to_tsvector('simple', text) ELSE NULL END) STORED;
CREATE INDEX messages_tsv ON messages USING gin (tsv);
ALTER TABLE contacts ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', name || ' ' || phone || ' ' || email)) STORED;
CREATE INDEX contacts_tsv ON contacts USING gin (tsv);

-- The real-time feed: one row per state change, numbered per conversation.
CREATE TABLE events (
    conversation_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    type TEXT NOT NULL,
    message_id TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

CREATE TABLE reads (
    user_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    last_read_seq BIGINT NOT NULL DEFAULT 0,
    marked_unread INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, conversation_id)
);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    message_id TEXT,
    channel_id TEXT NOT NULL DEFAULT '',
    lock_id TEXT,
    payload TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_lock ON outbox (lock_id) WHERE lock_id IS NOT NULL AND status = 'pending';

CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    path TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE chat_messages (
    id TEXT PRIMARY KEY,
    from_id TEXT NOT NULL,
    to_id TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX chat_messages_pair ON chat_messages (from_id, to_id, created_at);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('protocol', 0);
