-- 0003-webhooks.sql -- operators' webhooks and their delivery outbox.
--
-- A webhook is an operator's URL, the pickup events it wants and the
-- secret its deliveries are signed with.  Removing one keeps its row
-- (removed = the time) so its deliveries stay readable.
--
-- webhook_deliveries is the outbox: a row is written in the same
-- transaction as the pickup's change (plan saved, field event, cancel),
-- so an event is never lost nor sent for a change that was rolled back.
-- The delivery worker takes the oldest pending row of each (webhook,
-- pickup) whose next_at has come, POSTs it, and records the outcome:
-- delivered, or pending again with a later next_at, or dead once it has
-- been failing for webhook_max_age.  data is the event's JSON object; the
-- body sent wraps it with the delivery's id, event and time.

CREATE TABLE webhooks (
	id		INTEGER PRIMARY KEY,
	operator	TEXT NOT NULL,
	url		TEXT NOT NULL,
	events		TEXT NOT NULL,		-- comma-separated names
	secret		TEXT NOT NULL,
	created		INTEGER NOT NULL,
	removed		INTEGER NOT NULL DEFAULT 0	-- 0: live
);
CREATE INDEX webhooks_live ON webhooks (operator) WHERE removed = 0;

CREATE TABLE webhook_deliveries (
	id		INTEGER PRIMARY KEY,
	webhook		INTEGER NOT NULL REFERENCES webhooks (id),
	pickup_id	INTEGER NOT NULL REFERENCES pickups (id),
	event		TEXT NOT NULL,
	data		TEXT NOT NULL,
	created		INTEGER NOT NULL,
	state		TEXT NOT NULL DEFAULT 'pending'
			    CHECK (state IN ('pending', 'delivered', 'dead')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_at		INTEGER NOT NULL,
	last_at		INTEGER,
	last_status	INTEGER,		-- HTTP status; 0: no answer
	last_error	TEXT,
	delivered	INTEGER
);
-- The worker's two questions: what is due, and is an older one of the
-- same pickup still pending (per-pickup order).
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries
    (webhook, pickup_id, id) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (webhook, id);
