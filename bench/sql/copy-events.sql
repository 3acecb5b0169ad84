-- The replay's events: :copies copies of every event the run wrote (psql -v copies=N). Each copy is a real
-- history in workspaces of its own ("bench-03-r7": aggregate id and payload workspaceId renamed), with its own
-- event ids and the original sequence numbers, timestamps, metadata and payload sizes, so the audit projection
-- meets exactly what the system writes. Copies follow each other in the global index; within a copy the original
-- interleaving of workspaces is kept. Events outside an aggregate's stream (type NULL) get their new id as
-- aggregate id, as Axon stores them.
SELECT set_config('bench.copies', :'copies', false);
DO $$
DECLARE
    source_last bigint := (SELECT max(global_index) FROM command_side.domain_event_entry);
BEGIN
    FOR k IN 1 .. current_setting('bench.copies')::int LOOP
        INSERT INTO command_side.domain_event_entry
            (aggregate_identifier, sequence_number, type, event_identifier, meta_data, payload, payload_revision,
             payload_type, time_stamp)
        SELECT CASE WHEN e.type IS NULL THEN e.new_id ELSE e.aggregate_identifier || '-r' || k END,
               e.sequence_number, e.type, e.new_id, e.meta_data,
               convert_to(replace(e.payload_text, '"workspaceId":"' || e.workspace || '"',
                                  '"workspaceId":"' || e.workspace || '-r' || k || '"'), 'UTF8'),
               e.payload_revision, e.payload_type, e.time_stamp
          FROM (SELECT s.*, gen_random_uuid()::text AS new_id, convert_from(s.payload, 'UTF8') AS payload_text,
                       convert_from(s.payload, 'UTF8')::jsonb ->> 'workspaceId' AS workspace
                  FROM command_side.domain_event_entry s
                 WHERE s.global_index <= source_last) e
         ORDER BY e.global_index;
    END LOOP;
END $$;
