-- 0006-jobs.sql -- plans as jobs any node may claim, and regions.
--
-- A queued plan is claimed by one node (node, lease_until: Unix seconds
-- of the wall clock, not the planner's), which renews its lease while it
-- works; a plan whose lease ran out is claimed again by any node.  The
-- nightly schedule's plans carry the night they are for: one per region
-- and night however many nodes queue it.
--
-- A region is a name on centres ('' for none) and, when the operator
-- gives one, on pickups; a plan covers one region, or (NULL) the whole
-- network.

ALTER TABLE plans ADD COLUMN region TEXT;
ALTER TABLE plans ADD COLUMN node TEXT;
ALTER TABLE plans ADD COLUMN lease_until INTEGER;
ALTER TABLE plans ADD COLUMN night TEXT;		-- YYYY-MM-DD
CREATE UNIQUE INDEX plans_nightly ON plans (coalesce(region, ''), night)
    WHERE night IS NOT NULL;
ALTER TABLE centres ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE pickups ADD COLUMN region TEXT;
