package io.dtm.streams;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Optional;

/** Service-wide configuration: the roles this instance runs and how the service's topics are created. */
@ConfigMapping(prefix = "dtm")
public interface DtmConfig {

    /** Roles this instance runs (comma-separated: ingest, indicators, model, alerts); all of them by default. */
    @WithDefault("ingest,indicators,model,alerts")
    List<String> roles();

    /** How the service creates its topics at start (existing topics are left as they are). */
    TopicsConfig topics();

    /** Topic creation settings. */
    interface TopicsConfig {

        /** Whether the service creates its topics at start when they are missing. */
        @WithDefault("true")
        boolean create();

        /** Partitions of every topic the service creates. */
        @WithDefault("3")
        int partitions();

        /** Replication factor of the topics it creates; the broker's default when unset. */
        @WithName("replication-factor")
        Optional<Short> replicationFactor();

        /** Retention of the dead-letter topic in milliseconds; -1 keeps rejected input for ever. */
        @WithName("dlq-retention-ms")
        @WithDefault("-1")
        long dlqRetentionMs();
    }

    /** The parsed roles. */
    default List<Role> parsedRoles() {
        return roles().stream().map(Role::of).distinct().toList();
    }

    /** Whether this instance runs {@code role}. */
    default boolean runs(Role role) {
        return parsedRoles().contains(role);
    }
}
