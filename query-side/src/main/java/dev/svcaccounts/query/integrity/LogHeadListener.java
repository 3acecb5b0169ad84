package dev.svcaccounts.query.integrity;

/**
 * Told of the log's new head inside the appender's transaction, while it holds the appender's lock: whatever it
 * writes (a checkpoint) commits with the leaves or not at all.
 */
public interface LogHeadListener {

    void appended(long treeSize, byte[] rootHash);
}
