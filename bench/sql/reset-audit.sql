-- With the query side stopped: the audit projection starts again from the first event (its rows and tracking
-- tokens go, as a reset does; at start the processor makes new tokens at the tail), while the other processing
-- groups are moved past the copied events (their tokens set to the head), so that the replay has the query side
-- to itself.
-- TODO: trigger the replay with POST /v1/admin/projections/audit/replay once that endpoint is on main.
BEGIN;
UPDATE query_side.token_entry
   SET token = convert_to('{"index":' || (SELECT max(global_index) FROM command_side.domain_event_entry)
                              || ',"gaps":[]}', 'UTF8'),
       token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken',
       owner = NULL
 WHERE processor_name <> 'audit';
DELETE FROM query_side.token_entry WHERE processor_name = 'audit';
DELETE FROM query_side.audit_entry;
COMMIT;
