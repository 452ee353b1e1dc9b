-- 0005-route-geometry.sql -- a route's path on the roads. (PostgreSQL)
--
-- With a road router, a plan's routes get the router's path through
-- their stops (OSRM's route service) as an encoded polyline (Google's,
-- precision 5, as OSRM writes it); the GeoJSON and the map draw it.
-- NULL: straight segments between the stops, as without a router.

ALTER TABLE plan_routes ADD COLUMN geometry TEXT;
