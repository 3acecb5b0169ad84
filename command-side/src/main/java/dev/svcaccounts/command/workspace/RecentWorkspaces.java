package dev.svcaccounts.command.workspace;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used workspaces of this node, kept in memory so that a command does not replay its
 * workspace's whole history. Bounded twice, the least recently used entry dropped first: by a number of entries,
 * and by the events they were built from, in all. A workspace's state grows with its history (every token ever
 * issued stays in it, revoked or not), so the number of entries alone bounds nothing: ten workspaces with long
 * histories can hold more than five hundred new ones. The events are the measure {@link CatchingUpRepository}
 * reports after each command ({@link #weigh}); the one entry used last is kept whatever its weight.
 * An entry may be behind another node's changes; {@link CatchingUpRepository} sees that no command is decided on it
 * as it is.
 */
final class RecentWorkspaces implements Cache {

    private record Entry(Object value, long events) {
    }

    private final int capacity;
    private final long maxEvents;
    private final Map<Object, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long events;

    RecentWorkspaces(int capacity, long maxEvents) {
        if (capacity < 1 || maxEvents < 1) {
            throw new IllegalArgumentException("the workspace cache holds at least 1 entry of 1 event, not "
                    + capacity + " entries of " + maxEvents + " events");
        }
        this.capacity = capacity;
        this.maxEvents = maxEvents;
    }

    /** Records that the workspace's cached state was built from {@code events} events; drops others if need be. */
    synchronized void weigh(Object key, long events) {
        Entry entry = entries.get(key);
        if (entry != null) {
            this.events += events - entry.events();
            entries.put(key, new Entry(entry.value(), events));
            evict();
        }
    }

    /** How many workspaces are held now. */
    synchronized int entries() {
        return entries.size();
    }

    /** The events the workspaces held now were built from, in all. */
    synchronized long events() {
        return events;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <K, V> V get(K key) {
        Entry entry = entries.get(key);
        return entry == null ? null : (V) entry.value();
    }

    @Override
    public synchronized void put(Object key, Object value) {
        Entry previous = entries.get(key);
        entries.put(key, new Entry(value, previous == null ? 0 : previous.events()));
        evict();
    }

    @Override
    public synchronized boolean putIfAbsent(Object key, Object value) {
        if (entries.containsKey(key)) {
            return false;
        }
        put(key, value);
        return true;
    }

    @Override
    public synchronized boolean remove(Object key) {
        Entry removed = entries.remove(key);
        if (removed != null) {
            events -= removed.events();
        }
        return removed != null;
    }

    @Override
    public synchronized void removeAll() {
        entries.clear();
        events = 0;
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        throw new UnsupportedOperationException("nothing listens to the workspace cache");
    }

    /** Drops the least recently used entries while over either bound, keeping the one used last. */
    private void evict() {
        Iterator<Entry> eldestFirst = entries.values().iterator();
        while ((entries.size() > capacity || events > maxEvents) && entries.size() > 1) {
            Entry eldest = eldestFirst.next();
            events -= eldest.events();
            eldestFirst.remove();
        }
    }
}
