package io.dtm.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The configured API keys ({@code dtm.security.api-keys}), checked at start: a bad entry stops the service with
 * every problem named, never with the hash or a key in the message.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Pattern PRINCIPAL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** A principal and what it may do. */
    public record Grant(String principal, Set<String> roles) {
    }

    private record Entry(Grant grant, ApiKeyHash hash) {
    }

    private final List<Entry> entries;

    @Inject
    ApiKeys(SecurityConfig config) {
        this(config.apiKeys());
    }

    ApiKeys(Map<String, SecurityConfig.ApiKey> keys) {
        List<String> problems = new ArrayList<>();
        List<Entry> parsed = new ArrayList<>();
        new TreeMap<>(keys).forEach((principal, key) -> {
            String at = "dtm.security.api-keys." + principal;
            if (!PRINCIPAL.matcher(principal).matches()) {
                problems.add(at + ": the principal is lower-case letters, digits and -");
            }
            Set<String> roles = new HashSet<>(key.roles());
            roles.stream().filter(r -> !Roles.ALL.contains(r)).sorted()
                    .forEach(r -> problems.add(at + ".roles: unknown role '" + r + "' (" + String.join(", ",
                            new java.util.TreeSet<>(Roles.ALL)) + ")"));
            try {
                parsed.add(new Entry(new Grant(principal, Set.copyOf(roles)), ApiKeyHash.parse(key.hash())));
            } catch (IllegalArgumentException e) {
                problems.add(at + ".hash: " + e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid API keys: " + String.join("; ", problems));
        }
        this.entries = List.copyOf(parsed);
    }

    /** Whether any key is configured. */
    public boolean any() {
        return !entries.isEmpty();
    }

    /**
     * The grant of {@code key}, or empty. Every configured hash is computed and compared (in constant time), so the
     * time taken does not tell which entry came close.
     */
    public Optional<Grant> find(String key) {
        Grant found = null;
        for (Entry e : entries) {
            if (e.hash().matches(key) && found == null) {
                found = e.grant();
            }
        }
        return Optional.ofNullable(found);
    }
}
