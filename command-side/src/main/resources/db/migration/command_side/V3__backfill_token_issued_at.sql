-- Tokens issued before V2 added auth_token.issued_at: take the time from their TokenIssuedEvent, so that
-- introspection's "iat" is there for every token.
UPDATE auth_token t
   SET issued_at = e.time_stamp::timestamptz
  FROM domain_event_entry e
 WHERE t.issued_at IS NULL
   AND e.payload_type = 'dev.svcaccounts.events.TokenIssuedEvent'
   AND convert_from(e.payload, 'UTF8')::jsonb ->> 'tokenId' = t.token_id;
