-- Rotation with overlap (issue 15): a token issued by a rotation names the token it replaces (rotated_from, from
-- TokenIssuedEvent.rotatedFrom), and the replaced token names its successor (rotated_to), so the token views link
-- both ways. NULL for every token that is not part of a rotation, and for every token issued before this.
ALTER TABLE service_account_token ADD COLUMN rotated_from VARCHAR(64), ADD COLUMN rotated_to VARCHAR(64);
ALTER TABLE member_token ADD COLUMN rotated_from VARCHAR(64), ADD COLUMN rotated_to VARCHAR(64);
