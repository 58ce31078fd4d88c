-- Accounts for people (issue #12): reviewers who sign in to the web pages
-- with a password (argon2id, encoded by libargon2), server-side sessions
-- and the sign-in attempts the rate limit counts. The identities of
-- vhcvd.yaml stay; an account may not take one of their names (checked by
-- the daemon, which knows the configuration).
SET LOCAL search_path = vhcv, pg_catalog;

CREATE TABLE accounts (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
	display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
	role text NOT NULL CHECK (role IN ('inspector', 'unit_head', 'hr', 'auditor', 'admin')),
	units text[] NOT NULL CHECK (cardinality(units) BETWEEN 1 AND 64),
	official text,
	-- argon2id encoded ("$argon2id$v=19$m=...,t=...,p=...$salt$hash");
	-- NULL until a password is set: such an account cannot sign in
	password_hash text CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
	disabled boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now(),
	created_by text NOT NULL,
	changed_at timestamptz,
	changed_by text
);

-- A session is known by the SHA-256 of its cookie; the cookie itself is
-- never stored. It ends by sign-out, idle time or absolute age (checked
-- against the configuration on every request), or when the account is
-- disabled or its password changed.
CREATE TABLE sessions (
	token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
	account_id bigint NOT NULL REFERENCES accounts (id),
	csrf text NOT NULL,
	address text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	last_seen timestamptz NOT NULL DEFAULT now(),
	ended_at timestamptz,
	end_reason text
);
CREATE INDEX sessions_account ON sessions (account_id) WHERE ended_at IS NULL;

-- Every sign-in attempt, for the rate limit (failures per account and per
-- address in a window) and for the record.
CREATE TABLE signin_attempts (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL,
	address text NOT NULL,
	at timestamptz NOT NULL DEFAULT now(),
	ok boolean NOT NULL
);
CREATE INDEX signin_attempts_name ON signin_attempts (name, at) WHERE NOT ok;
CREATE INDEX signin_attempts_address ON signin_attempts (address, at) WHERE NOT ok;

GRANT SELECT, INSERT ON accounts, sessions, signin_attempts TO vhcv_app;
GRANT UPDATE (display_name, password_hash, disabled, changed_at, changed_by) ON accounts TO vhcv_app;
GRANT UPDATE (last_seen, ended_at, end_reason) ON sessions TO vhcv_app;
