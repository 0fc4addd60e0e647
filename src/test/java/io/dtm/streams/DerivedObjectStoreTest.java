package io.dtm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

/** The in-memory object store of derived state: the key-value contract the processors and interactive queries use. */
class DerivedObjectStoreTest {

    @Test
    void shouldKeepTheObjectsWrittenAndScanThemInKeyOrder() {
        KeyValueStore<String, Object> store = DerivedObjectStore.builder("s").build();
        Object a = new Object();
        store.put("g#2024#x", a);
        store.put("g#2023#x", "b");
        store.put("g#2023#y", "c");
        store.put("h#2023#x", "d");
        store.put("g", "e");
        assertSame(a, store.get("g#2024#x"), "the object itself, not a copy");
        assertEquals(List.of("g#2023#x", "g#2023#y", "g#2024#x"), keys(store.prefixScan("g#", new StringSerializer())));
        assertEquals(List.of("g#2023#x", "g#2023#y"), keys(store.prefixScan("g#2023#", new StringSerializer())));
        assertEquals(List.of(), keys(store.prefixScan("i", new StringSerializer())));
        assertEquals(List.of("g", "g#2023#x", "g#2023#y", "g#2024#x", "h#2023#x"), keys(store.all()));
        assertEquals(List.of("h#2023#x", "g#2024#x", "g#2023#y", "g#2023#x", "g"), keys(store.reverseAll()));
        assertEquals(List.of("g#2023#y", "g#2024#x"), keys(store.range("g#2023#y", "g#2024#x")));
        assertEquals(List.of("g#2024#x", "g#2023#y"), keys(store.reverseRange("g#2023#y", "g#2024#x")));
        assertEquals(List.of(), keys(store.range("h", "g")));
        assertEquals(5, store.approximateNumEntries());

        assertEquals("b", store.putIfAbsent("g#2023#x", "z"));
        assertNull(store.putIfAbsent("g#2025#x", "f"));
        assertEquals("f", store.delete("g#2025#x"));
        store.put("g", null);
        assertNull(store.get("g"), "a null value deletes, as in the other stores");

        try (KeyValueIterator<String, Object> it = store.all()) {
            assertEquals("g#2023#x", it.peekNextKey());
            assertEquals("g#2023#x", it.next().key, "peeking does not skip");
            it.next();
            it.next();
            assertEquals("h#2023#x", it.next().key);
            assertFalse(it.hasNext());
        }
    }

    @Test
    void shouldHaveNeitherCacheNorChangelog() {
        StoreBuilder<KeyValueStore<String, Object>> builder = DerivedObjectStore.builder("s");
        assertFalse(builder.loggingEnabled());
        assertEquals(Map.of(), builder.logConfig());
        assertThrows(UnsupportedOperationException.class, () -> builder.withLoggingEnabled(Map.of()));
        assertThrows(UnsupportedOperationException.class, builder::withCachingEnabled);
        assertSame(builder, builder.withLoggingDisabled().withCachingDisabled());
        KeyValueStore<String, Object> store = builder.build();
        assertFalse(store.persistent());
        assertFalse(store.isOpen(), "open once a task initializes it");
        store.put("k", "v");
        store.close();
        assertTrue(store.get("k") == null && !store.isOpen(), "closing drops what it held");
    }

    private static List<String> keys(KeyValueIterator<String, Object> it) {
        List<String> keys = new ArrayList<>();
        try (it) {
            it.forEachRemaining((KeyValue<String, Object> kv) -> keys.add(kv.key));
        }
        return keys;
    }
}
