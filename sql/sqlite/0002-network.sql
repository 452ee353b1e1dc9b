-- 0002-network.sql -- the network the planner plans over, and its plans.
--
-- Network data (admin-managed, /v1/centres and /v1/fleet, or "recircd
-- seed"): centres, vehicle types kept at a centre, processors per stream
-- and overrides of the catalogue's stream rules.  Capacities are per day;
-- the planner multiplies them by the days it plans.
--
-- A plan is one optimisation run.  Its state moves queued -> running ->
-- done | failed and never back; the current plan is the newest done one,
-- so a failed run leaves the previous plan current.  A done plan owns its
-- routes, their ordered stops and one assignment row per pickup it
-- considered (scheduled, or deferred with a reason code).  The pickups
-- table carries the schedule of the current plan (plan_* columns) so a
-- pickup answers "when and by whom" without a join.
--
-- Pins are promises to keep when re-planning: "confirmed" holds the day
-- told to the resident, "dispatched" holds the vehicle, day and place in
-- a route already handed to a crew.  Field events record what crews and
-- centres report (collected, not collected with a code, sorted).

CREATE TABLE centres (
	id		TEXT PRIMARY KEY,
	name		TEXT NOT NULL,
	lat		REAL NOT NULL,
	lon		REAL NOT NULL,
	existing	INTEGER NOT NULL CHECK (existing IN (0, 1)),
	fixed_cost	REAL NOT NULL CHECK (fixed_cost >= 0),
	cap_repair	REAL NOT NULL CHECK (cap_repair >= 0),
	cap_reuse	REAL NOT NULL CHECK (cap_reuse >= 0),
	cap_recycle	REAL NOT NULL CHECK (cap_recycle >= 0),
	cap_dispose	REAL NOT NULL CHECK (cap_dispose >= 0),
	opens		TEXT NOT NULL,		-- HH:MM
	closes		TEXT NOT NULL,		-- HH:MM
	created		INTEGER NOT NULL,
	updated		INTEGER NOT NULL
);

CREATE TABLE vehicle_types (
	id		TEXT PRIMARY KEY,
	centre		TEXT NOT NULL REFERENCES centres (id),
	count		INTEGER NOT NULL CHECK (count >= 0),
	cap_kg		REAL NOT NULL CHECK (cap_kg > 0),
	cap_m3		REAL NOT NULL CHECK (cap_m3 > 0),
	cap_items	INTEGER NOT NULL CHECK (cap_items > 0),
	fixed_cost	REAL NOT NULL CHECK (fixed_cost >= 0),
	cost_per_km	REAL NOT NULL CHECK (cost_per_km >= 0),
	cost_per_hour	REAL NOT NULL CHECK (cost_per_hour >= 0),
	shift_min	INTEGER NOT NULL CHECK (shift_min > 0),
	max_stops	INTEGER NOT NULL CHECK (max_stops > 0),
	co2_per_km	REAL NOT NULL CHECK (co2_per_km >= 0),
	skills		TEXT NOT NULL DEFAULT '',	-- comma-separated
	created		INTEGER NOT NULL,
	updated		INTEGER NOT NULL
);
CREATE INDEX vehicle_types_centre ON vehicle_types (centre);

CREATE TABLE processors (
	id		TEXT PRIMARY KEY,
	stream		TEXT NOT NULL
			CHECK (stream IN ('repair', 'reuse', 'recycle', 'dispose')),
	name		TEXT NOT NULL,
	cost_per_kg	REAL NOT NULL
);

-- Overrides come before the catalogue's rules: the first rule for a
-- (category, condition, stream) wins.  '*' matches any.
CREATE TABLE stream_rules (
	category	TEXT NOT NULL,
	condition	TEXT NOT NULL,
	stream		TEXT NOT NULL
			CHECK (stream IN ('repair', 'reuse', 'recycle', 'dispose')),
	value		REAL NOT NULL,
	PRIMARY KEY (category, condition, stream)
);

CREATE TABLE plans (
	id		INTEGER PRIMARY KEY,
	state		TEXT NOT NULL DEFAULT 'queued'
			CHECK (state IN ('queued', 'running', 'done', 'failed')),
	phase		TEXT,
	trigger		TEXT NOT NULL CHECK (trigger IN ('manual', 'schedule')),
	requested_by	TEXT,
	horizon_from	TEXT NOT NULL,		-- YYYY-MM-DD
	horizon_days	INTEGER NOT NULL,
	best_cost	REAL,
	created		INTEGER NOT NULL,
	started		INTEGER,
	finished	INTEGER,
	reason		TEXT,			-- why it failed
	previous	INTEGER REFERENCES plans (id),
	problem		TEXT,			-- recirc-solve problem JSON
	result		TEXT,			-- recirc-solve plan JSON
	kpis		TEXT,			-- JSON
	changes		TEXT			-- JSON, against previous
);
CREATE INDEX plans_state ON plans (state, id);

CREATE TABLE plan_routes (
	id		INTEGER PRIMARY KEY,
	plan_id		INTEGER NOT NULL REFERENCES plans (id),
	vehicle		TEXT NOT NULL,		-- "TYPE-N"
	vehicle_type	TEXT NOT NULL,
	centre		TEXT NOT NULL,
	day		TEXT NOT NULL,
	source		TEXT NOT NULL CHECK (source IN ('solver', 'fallback')),
	starts		TEXT NOT NULL,		-- HH:MM
	ends		TEXT NOT NULL,
	km		REAL NOT NULL,
	cost		REAL NOT NULL,
	load_kg		REAL NOT NULL,
	load_m3		REAL NOT NULL,
	load_items	INTEGER NOT NULL,
	UNIQUE (plan_id, vehicle, day)
);

CREATE TABLE plan_stops (
	route_id	INTEGER NOT NULL REFERENCES plan_routes (id),
	seq		INTEGER NOT NULL,
	pickup_id	INTEGER NOT NULL REFERENCES pickups (id),
	eta		TEXT NOT NULL,		-- HH:MM
	load_kg		REAL NOT NULL,		-- on board after the stop
	PRIMARY KEY (route_id, seq)
);

CREATE TABLE plan_assignments (
	plan_id		INTEGER NOT NULL REFERENCES plans (id),
	pickup_id	INTEGER NOT NULL REFERENCES pickups (id),
	centre		TEXT,
	day		TEXT,
	vehicle		TEXT,
	seq		INTEGER,
	eta		TEXT,
	deferred	TEXT,			-- reason code, NULL if scheduled
	PRIMARY KEY (plan_id, pickup_id)
);

CREATE TABLE pickup_pins (
	pickup_id	INTEGER PRIMARY KEY REFERENCES pickups (id),
	kind		TEXT NOT NULL CHECK (kind IN ('confirmed', 'dispatched')),
	plan_id		INTEGER NOT NULL REFERENCES plans (id),
	centre		TEXT NOT NULL,
	day		TEXT NOT NULL,
	vehicle		TEXT,			-- dispatched only
	seq		INTEGER,
	at		INTEGER NOT NULL,
	actor		TEXT
);

CREATE TABLE field_events (
	id		INTEGER PRIMARY KEY,
	pickup_id	INTEGER NOT NULL REFERENCES pickups (id),
	kind		TEXT NOT NULL
			CHECK (kind IN ('collected', 'not_collected', 'sorted')),
	code		TEXT,			-- not_collected exception
	stream		TEXT,			-- sorted
	weight_kg	REAL,
	at		INTEGER NOT NULL,
	actor		TEXT
);
CREATE INDEX field_events_pickup ON field_events (pickup_id, id);

ALTER TABLE pickups ADD COLUMN plan_id INTEGER;
ALTER TABLE pickups ADD COLUMN plan_day TEXT;
ALTER TABLE pickups ADD COLUMN plan_vehicle TEXT;
ALTER TABLE pickups ADD COLUMN plan_seq INTEGER;
ALTER TABLE pickups ADD COLUMN plan_eta TEXT;
ALTER TABLE pickups ADD COLUMN defer_reason TEXT;
