package io.dtm.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The configured API keys: checked at start with every bad entry named, found by their key alone. */
class ApiKeysTest {

    private record Key(String hash, List<String> roles) implements SecurityConfig.ApiKey {
    }

    @Test
    void shouldFindTheGrantOfAKeyAndNothingForAnyOther() {
        ApiKeys keys = new ApiKeys(Map.of(
                "feed-a", new Key(ApiKeyHash.of("dtm_a"), List.of("publisher")),
                "ops", new Key(ApiKeyHash.of("dtm_b"), List.of("operator", "reader"))));
        assertEquals(new ApiKeys.Grant("feed-a", Set.of("publisher")), keys.find("dtm_a").orElseThrow());
        assertEquals(Set.of("operator", "reader"), keys.find("dtm_b").orElseThrow().roles());
        assertTrue(keys.find("dtm_c").isEmpty());
        assertTrue(keys.find("").isEmpty());
        assertTrue(keys.any());
        assertFalse(new ApiKeys(Map.of()).any());
    }

    @Test
    void shouldNameEveryBadEntryWithoutRepeatingWhatWasConfigured() {
        String pasted = "dtm_a_key_pasted_where_its_hash_belongs";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ApiKeys(Map.of(
                "Feed A", new Key(ApiKeyHash.of("dtm_a"), List.of("publisher")),
                "ops", new Key(ApiKeyHash.of("dtm_b"), List.of("admin")),
                "feed-b", new Key(pasted, List.of("publisher")))));
        String message = e.getMessage();
        assertTrue(message.contains("dtm.security.api-keys.Feed A: the principal"), message);
        assertTrue(message.contains("dtm.security.api-keys.ops.roles: unknown role 'admin'"), message);
        assertTrue(message.contains("dtm.security.api-keys.feed-b.hash: not sha256:"), message);
        assertFalse(message.contains(pasted), "a key pasted by mistake is not logged");
    }

    @Test
    void shouldMatchAHashOnlyWithItsOwnKeyAndSalt() {
        String hash = ApiKeyHash.of("dtm_key");
        assertTrue(ApiKeyHash.parse(hash).matches("dtm_key"));
        assertFalse(ApiKeyHash.parse(hash).matches("dtm_kex"));
        assertFalse(ApiKeyHash.parse(ApiKeyHash.of("dtm_key")).matches(hash), "the hash is no key");
        assertFalse(hash.equals(ApiKeyHash.of("dtm_key")), "each hash has its own salt");
    }
}
