-- 0007-reference.sql -- pickups found by their reference.
--
-- GET /v1/pickups?reference= (recircctl pickups list --reference): the
-- ops desk looks a pickup up by the reference a resident quotes, across
-- operators, so the unique (operator, reference) key does not serve.

CREATE INDEX pickups_reference ON pickups (reference, id);
