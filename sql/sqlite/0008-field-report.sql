-- 0008-field-report.sql -- field events found by when they were recorded.
--
-- GET /v1/reports/field?from=&to= (recircctl report): what the crews
-- collected, could not collect and sorted over a month, for the council's
-- returns; without it the report reads every event ever recorded.

CREATE INDEX field_events_at ON field_events (at);
