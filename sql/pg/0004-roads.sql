-- 0004-roads.sql -- the road router's legs, kept between plans. (PostgreSQL)
--
-- A nightly re-plan asks the router (OSRM's table service) only for the
-- legs it has not seen: each leg from place a to place b under a profile
-- ("driving"), places keyed by their coordinates rounded to 1e-5 degree
-- (about a metre; matrix_place_key).  km and min are NULL where the
-- router found no road.  fetched orders eviction: past router_cache_max
-- legs, the oldest fetched go first.

CREATE TABLE road_legs (
	profile		TEXT NOT NULL,
	a		bigint NOT NULL,
	b		bigint NOT NULL,
	km		double precision,
	min		double precision,
	fetched		bigint NOT NULL,
	PRIMARY KEY (profile, a, b)
);
CREATE INDEX road_legs_fetched ON road_legs (fetched);
