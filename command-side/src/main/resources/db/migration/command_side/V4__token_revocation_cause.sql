-- Why a revoked token stopped working (a TokenRevocationCause name), so that a refused request with it can be
-- recorded under the right rule: revoked on its own, its account deactivated or deleted, or its user removed.
-- revoked_at alone cannot tell a deactivated account's tokens from a deleted one's.
ALTER TABLE auth_token ADD COLUMN revocation_cause VARCHAR(32);

-- Tokens revoked before this migration: the cause their TokenRevokedEvent names.
UPDATE auth_token t
   SET revocation_cause = convert_from(e.payload, 'UTF8')::jsonb ->> 'cause'
  FROM domain_event_entry e
 WHERE t.revoked_at IS NOT NULL
   AND t.revocation_cause IS NULL
   AND e.payload_type = 'dev.svcaccounts.events.TokenRevokedEvent'
   AND convert_from(e.payload, 'UTF8')::jsonb ->> 'tokenId' = t.token_id;

-- The rest were revoked by the projection alone (tokens already expired when their owner went): the cause is
-- what happened to the owner.
UPDATE auth_token t
   SET revocation_cause = CASE
           WHEN t.principal_type = 'USER' THEN 'MEMBER_REMOVED'
           WHEN EXISTS (SELECT 1 FROM domain_event_entry e
                         WHERE e.payload_type = 'dev.svcaccounts.events.ServiceAccountDeletedEvent'
                           AND e.aggregate_identifier = t.workspace_id
                           AND convert_from(e.payload, 'UTF8')::jsonb ->> 'serviceAccountId' = t.principal_id)
               THEN 'ACCOUNT_DELETED'
           ELSE 'ACCOUNT_DEACTIVATED'
       END
 WHERE t.revoked_at IS NOT NULL
   AND t.revocation_cause IS NULL;
