package io.dtm.streams;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A key-value store of objects in memory, for state a task derives again as it starts (no changelog, nothing on
 * disk): values are kept as they are written, not serialized, so that the processor and interactive queries share
 * them. Keys are ordered as strings; reads are safe while the stream thread writes (a scan sees the entries as
 * they are when it reaches them).
 *
 * @param <V> the values
 */
public final class DerivedObjectStore<V> implements KeyValueStore<String, V> {

    private final String name;
    private final ConcurrentSkipListMap<String, V> entries = new ConcurrentSkipListMap<>();
    private volatile boolean open;

    private DerivedObjectStore(String name) {
        this.name = name;
    }

    /** A builder of such a store; caching and logging cannot be turned on. */
    public static <V> StoreBuilder<KeyValueStore<String, V>> builder(String name) {
        return new Builder<>(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        entries.clear();
        context.register(root, (key, value) -> {
            throw new IllegalStateException("store " + name + " has no changelog to restore from");
        });
        open = true;
    }

    @Override
    public void flush() {
        // nothing is written anywhere
    }

    @Override
    public void close() {
        open = false;
        entries.clear();
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            entries.remove(key);
        } else {
            entries.put(key, value);
        }
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V existing = entries.get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> all) {
        all.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public V delete(String key) {
        return entries.remove(key);
    }

    @Override
    public V get(String key) {
        return entries.get(key);
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return iterator(view(from, to));
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        return iterator(view(from, to).descendingMap());
    }

    /** The entries from {@code from} to {@code to}, both included ({@code null}: unbounded); none if from > to. */
    private NavigableMap<String, V> view(String from, String to) {
        if (from != null && to != null && from.compareTo(to) > 0) {
            return Collections.emptyNavigableMap();
        }
        NavigableMap<String, V> view = entries;
        if (from != null) {
            view = view.tailMap(from, true);
        }
        if (to != null) {
            view = view.headMap(to, true);
        }
        return view;
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return iterator(entries);
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        return iterator(entries.descendingMap());
    }

    /** The entries whose key starts with {@code prefix} (a string: the serializer is not needed). */
    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
        String start = (String) prefix;
        Iterator<Map.Entry<String, V>> tail = entries.tailMap(start, true).entrySet().iterator();
        return new EntryIterator<>(new Iterator<>() {
            private Map.Entry<String, V> next = advance();

            private Map.Entry<String, V> advance() {
                if (tail.hasNext()) {
                    Map.Entry<String, V> e = tail.next();
                    if (e.getKey().startsWith(start)) {
                        return e;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Map.Entry<String, V> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Map.Entry<String, V> current = next;
                next = advance();
                return current;
            }
        });
    }

    @Override
    public long approximateNumEntries() {
        return entries.size();
    }

    private static <V> KeyValueIterator<String, V> iterator(NavigableMap<String, V> view) {
        return new EntryIterator<>(view.entrySet().iterator());
    }

    /** A store iterator over map entries, with one entry of look-ahead for {@link #peekNextKey}. */
    private static final class EntryIterator<V> implements KeyValueIterator<String, V> {
        private final Iterator<Map.Entry<String, V>> entries;
        private Map.Entry<String, V> peeked;

        EntryIterator(Iterator<Map.Entry<String, V>> entries) {
            this.entries = entries;
        }

        @Override
        public boolean hasNext() {
            return peeked != null || entries.hasNext();
        }

        @Override
        public KeyValue<String, V> next() {
            Map.Entry<String, V> e = peeked != null ? peeked : entries.next();
            peeked = null;
            return KeyValue.pair(e.getKey(), e.getValue());
        }

        @Override
        public String peekNextKey() {
            if (peeked == null) {
                peeked = entries.next();
            }
            return peeked.getKey();
        }

        @Override
        public void close() {
            // nothing held open
        }
    }

    private static final class Builder<V> implements StoreBuilder<KeyValueStore<String, V>> {
        private final String name;

        Builder(String name) {
            this.name = name;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingEnabled() {
            throw new UnsupportedOperationException("store " + name + " is derived: it has no cache");
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingEnabled(Map<String, String> config) {
            throw new UnsupportedOperationException("store " + name + " is derived: it has no changelog");
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingDisabled() {
            return this;
        }

        @Override
        public KeyValueStore<String, V> build() {
            return new DerivedObjectStore<>(name);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }

        @Override
        public String name() {
            return name;
        }
    }
}
