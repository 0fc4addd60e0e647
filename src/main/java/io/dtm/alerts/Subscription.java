package io.dtm.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dtm.api.Problems;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A subscription to alert notifications (DESIGN §7): a channel ({@code webhook}, {@code alertmanager} or
 * {@code kafka}), its target, a filter by severity and labels, and a secret that signs webhooks and is never
 * returned by the API.
 *
 * @param severities the severities it receives; empty for all
 * @param labels     labels an alert must carry, with their values
 * @param createdAt  when it was created (epoch milliseconds, set by the service): its deliveries start with the
 *                   transitions of that moment
 * @param owner      the principal that created it (set by the service): a {@code subscriber} sees and changes its
 *                   own subscriptions only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subscription(String id, String channel, String target, List<String> severities,
        Map<String, String> labels, String secret, Long createdAt, String owner) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> CHANNELS = Set.of("webhook", "alertmanager", "kafka");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,63}");
    private static final int MIN_SECRET = 16;
    /** The longest secret, in UTF-8 bytes. */
    static final int MAX_SECRET_BYTES = 1024;
    /** The longest target (URL or topic). */
    static final int MAX_TARGET = 2048;

    /** A subscription without an owner (one an operator manages). */
    public Subscription(String id, String channel, String target, List<String> severities,
            Map<String, String> labels, String secret, Long createdAt) {
        this(id, channel, target, severities, labels, secret, createdAt, null);
    }

    /**
     * The same subscription without its secret and with the credentials of its target URL redacted
     * ({@link UrlRedaction}), as the API shows it.
     */
    public Subscription withoutSecret() {
        String shown = "kafka".equals(channel) ? target : UrlRedaction.redact(target);
        return new Subscription(id, channel, shown, severities, labels, null, createdAt, owner);
    }

    /** Whether its notifications are sent by the service (webhook, Alertmanager or a Kafka topic of its own). */
    public boolean delivered() {
        return CHANNELS.contains(channel);
    }

    /** Whether a notification of an alert with this severity and these labels goes to this subscription. */
    public boolean wants(String severity, Map<String, String> alertLabels) {
        if (severities != null && !severities.isEmpty() && !severities.contains(severity)) {
            return false;
        }
        return labels == null || labels.entrySet().stream()
                .allMatch(e -> e.getValue().equals(alertLabels.get(e.getKey())));
    }

    /**
     * Every problem with this subscription, named by field; the webhook and Alertmanager targets are checked by
     * {@code guard} against server-side request forgery, Kafka topics by {@code topics}. Bounded: at most
     * {@value Bounds#MAX_ENTRIES} labels, a secret of at most {@value #MAX_SECRET_BYTES} bytes, a target of at most
     * {@value #MAX_TARGET} characters.
     */
    public List<String> problems(TargetGuard guard, TopicGuard topics) {
        List<String> bad = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            bad.add("id: lower-case kebab (a-z, 0-9, -), at most 63 characters; was " + Problems.echo(id));
        }
        if (channel == null || !CHANNELS.contains(channel)) {
            bad.add("channel: webhook, alertmanager or kafka; was " + Problems.echo(channel));
        }
        if (Bounds.entries(bad, "severities", severities, SEVERITIES.size())) {
            for (int i = 0; severities != null && i < severities.size(); i++) {
                if (!SEVERITIES.contains(severities.get(i))) {
                    bad.add("severities[" + i + "]: critical, warning or info; was "
                            + Problems.echo(severities.get(i)));
                }
            }
        }
        labelProblems(bad);
        if (target != null && target.length() > MAX_TARGET) {
            bad.add("target: at most " + MAX_TARGET + " characters; was " + target.length());
        } else if ("webhook".equals(channel) || "alertmanager".equals(channel)) {
            urlProblems(bad, guard);
        } else if ("kafka".equals(channel)) {
            topics.check(target).ifPresent(reason -> bad.add("target: " + reason));
        }
        if ("webhook".equals(channel) && (secret == null || secret.length() < MIN_SECRET)) {
            bad.add("secret: at least " + MIN_SECRET + " characters, to sign the webhooks");
        }
        Bounds.utf8(bad, "secret", secret, MAX_SECRET_BYTES);
        return bad;
    }

    private void labelProblems(List<String> bad) {
        if (labels == null) {
            return;
        }
        if (labels.size() > Bounds.MAX_ENTRIES) {
            bad.add("labels: at most " + Bounds.MAX_ENTRIES + " entries; was " + labels.size());
            return;
        }
        labels.forEach((name, value) -> {
            if (name == null || !LABEL.matcher(name).matches()) {
                bad.add("labels: a label name (a letter or _, then letters, digits or _; at most 64); was "
                        + Problems.echo(name));
            } else if (value == null) {
                bad.add("labels." + name + ": must not be null");
            } else {
                Bounds.name(bad, "labels." + name, value, Bounds.MAX_NAME);
            }
        });
    }

    private void urlProblems(List<String> bad, TargetGuard guard) {
        if (target == null) {
            bad.add("target: the receiver's http(s) URL is required");
            return;
        }
        try {
            URI uri = new URI(target);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                bad.add("target: an absolute http or https URL; was " + Problems.echo(target));
            } else {
                guard.check(uri).ifPresent(reason -> bad.add("target: " + reason));
            }
        } catch (URISyntaxException e) {
            bad.add("target: not a URL (" + Problems.echo(e.getReason()) + ")");
        }
    }
}
