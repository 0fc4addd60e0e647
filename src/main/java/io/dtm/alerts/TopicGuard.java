package io.dtm.alerts;

import io.dtm.api.Problems;
import io.dtm.streams.Role;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Guards the topics a Kafka-channel subscription copies alerts to: only under the configured prefix
 * ({@code dtm.alerts.kafka-topic-prefix}), and never one of Kafka's own ({@code __*}), the service's
 * ({@code dtm.*}) or the internal topics of its Kafka Streams applications ({@code dtm-<roles>-…}), whatever the
 * prefix.
 */
public final class TopicGuard {

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String prefix;
    private final String applicationId;

    /**
     * @param prefix        the prefix every target topic must have
     * @param applicationId this instance's Kafka Streams application id, whose internal topics start with it
     */
    public TopicGuard(String prefix, String applicationId) {
        this.prefix = prefix;
        this.applicationId = applicationId;
    }

    /** Why {@code topic} may not be a target, or empty when it may. */
    public Optional<String> check(String topic) {
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            return Optional.of("a Kafka topic name (1 to 249 letters, digits, . _ -) is required; was "
                    + Problems.echo(topic));
        }
        if (topic.startsWith("__") || topic.startsWith("dtm.") || internal(topic)) {
            return Optional.of("not a topic of Kafka (__*), of the service (dtm.*) or internal to it; was "
                    + Problems.echo(topic));
        }
        if (!topic.startsWith(prefix) || topic.length() == prefix.length()) {
            return Optional.of("a topic under " + prefix + " (dtm.alerts.kafka-topic-prefix); was "
                    + Problems.echo(topic));
        }
        return Optional.empty();
    }

    /** A changelog or repartition topic of this application, or of any dtm application ({@code dtm-<role>…}). */
    private boolean internal(String topic) {
        return topic.startsWith(applicationId + "-") || topic.endsWith("-changelog") || topic.endsWith("-repartition")
                || Arrays.stream(Role.values()).anyMatch(r -> topic.startsWith("dtm-" + r.label()));
    }
}
