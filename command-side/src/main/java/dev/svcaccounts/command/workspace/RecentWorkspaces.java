package dev.svcaccounts.command.workspace;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used workspaces of this node, kept in memory so that a command does not replay its
 * workspace's whole history. Bounded by a number of entries: the least recently used one is dropped first.
 * An entry may be behind another node's changes; {@link CatchingUpRepository} brings it up to date before a
 * command sees it.
 */
final class RecentWorkspaces implements Cache {

    private final Map<Object, Object> entries;

    RecentWorkspaces(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the workspace cache holds at least 1 entry, not " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <K, V> V get(K key) {
        return (V) entries.get(key);
    }

    @Override
    public synchronized void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public synchronized boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(key, value) == null;
    }

    @Override
    public synchronized boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public synchronized void removeAll() {
        entries.clear();
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        throw new UnsupportedOperationException("nothing listens to the workspace cache");
    }
}
