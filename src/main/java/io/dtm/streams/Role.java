package io.dtm.streams;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/** The roles (microservices) one image can run, selected by {@code dtm.roles} (DESIGN §2). */
public enum Role {
    INGEST,
    INDICATORS,
    MODEL,
    ALERTS;

    /** The value used in {@code dtm.roles} and in the application id. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code dtm-<sorted role labels>}: instances that share it run the same topology. */
    public static String applicationId(Collection<Role> roles) {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("dtm.roles names no role; known roles: " + known());
        }
        return roles.stream().map(Role::label).sorted().distinct().collect(Collectors.joining("-", "dtm-", ""));
    }

    /** Parses one role label, failing with the list of known roles. */
    public static Role of(String label) {
        String wanted = label.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.label().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown role '" + label + "' in dtm.roles; known roles: " + known()));
    }

    /** All role labels, comma-separated: the default of {@code dtm.roles}. */
    public static String known() {
        return Arrays.stream(values()).map(Role::label).collect(Collectors.joining(","));
    }
}
