-- 0001-init.sql -- tokens, pickups and their status history.
--
-- pickup_events holds the changes after submission; the submission
-- itself (status received, at created, by operator) is the pickup row.
--
-- A pickup keeps its canonical request document in body (JSON) and the
-- columns the daemon filters and plans on.  (operator, reference) is
-- unique: a retried submission finds its original instead of a duplicate;
-- comparing the canonical body tells a retry from a conflicting reuse.

CREATE TABLE tokens (
	id		INTEGER PRIMARY KEY,
	operator	TEXT NOT NULL,
	role		TEXT NOT NULL
			CHECK (role IN ('operator', 'ops', 'planner', 'admin')),
	hash		BLOB NOT NULL UNIQUE,
	created		INTEGER NOT NULL,
	revoked		INTEGER
);

CREATE TABLE pickups (
	id		INTEGER PRIMARY KEY,
	operator	TEXT NOT NULL,
	reference	TEXT NOT NULL,
	idem_key	TEXT,
	status		TEXT NOT NULL DEFAULT 'received',
	lat		REAL NOT NULL,
	lon		REAL NOT NULL,
	window_from	TEXT NOT NULL,
	window_to	TEXT NOT NULL,
	body		TEXT NOT NULL,
	created		INTEGER NOT NULL,
	updated		INTEGER NOT NULL,
	UNIQUE (operator, reference)
);
CREATE UNIQUE INDEX pickups_idem ON pickups (operator, idem_key)
	WHERE idem_key IS NOT NULL;
CREATE INDEX pickups_status ON pickups (status, id);
CREATE INDEX pickups_operator ON pickups (operator, id);

CREATE TABLE pickup_events (
	id		INTEGER PRIMARY KEY,
	pickup_id	INTEGER NOT NULL REFERENCES pickups (id),
	status		TEXT NOT NULL,
	at		INTEGER NOT NULL,
	actor		TEXT,
	detail		TEXT
);
CREATE INDEX pickup_events_pickup ON pickup_events (pickup_id, id);
