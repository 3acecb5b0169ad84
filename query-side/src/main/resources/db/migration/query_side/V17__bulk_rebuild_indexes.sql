-- The indexes a bulk rebuild of a read model (an audit replay: query/projection/BulkReplay) dropped before loading
-- and creates again in the transaction of its last chunk: building an index once over the loaded rows costs a
-- fraction of updating it row by row. Dropped and recorded in one transaction, created and deleted in another, so a
-- node killed in between leaves the definitions here for the next loader.
CREATE TABLE bulk_rebuild_index (
    index_name VARCHAR(255) PRIMARY KEY,
    table_name VARCHAR(255) NOT NULL,
    definition TEXT         NOT NULL
);
