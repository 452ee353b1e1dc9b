-- 0009-horizon-closed.sql -- the closed days of a plan's horizon. (PostgreSQL)
--
-- recircd.conf closed_days: a plan is queued with the days of its horizon
-- nothing is collected on, as "YYYY-MM-DD,YYYY-MM-DD" (NULL: none), so
-- whichever node solves it later plans the same days, and GET /v1/plans
-- shows them.

ALTER TABLE plans ADD COLUMN horizon_closed text;
