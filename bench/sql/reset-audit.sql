-- With the query side stopped, before the replay: every processing group, the audit included, is moved past the
-- copied events (its tokens set to the head), so that the query side starts with nothing to catch up on, and the
-- audit trail is emptied, so that the first entry the watcher sees is the replay's. The replay itself is then
-- requested from the running query side (POST /v1/admin/projections/audit/replay), which resets the audit
-- projection's tokens to the first event.
BEGIN;
UPDATE query_side.token_entry
   SET token = convert_to('{"index":' || (SELECT max(global_index) FROM command_side.domain_event_entry)
                              || ',"gaps":[]}', 'UTF8'),
       token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken',
       owner = NULL;
TRUNCATE query_side.audit_entry;
COMMIT;
