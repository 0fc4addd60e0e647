package io.dtm.streams;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives the Kafka Streams {@code application.id} ({@code dtm-<sorted roles>}) from {@code dtm.roles}, at a
 * low ordinal so that an explicit {@code quarkus.kafka-streams.application-id} still wins.
 */
public final class RoleConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue("dtm.roles");
        String roles = value == null || value.getValue() == null ? Role.known() : value.getValue();
        List<Role> parsed = Arrays.stream(roles.split(",")).filter(s -> !s.isBlank()).map(Role::of).toList();
        return List.of(new PropertiesConfigSource(
                Map.of("quarkus.kafka-streams.application-id", Role.applicationId(parsed)),
                "dtm-roles", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
