package io.dtm.metrics;

import io.dtm.events.Feed;
import io.dtm.events.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers and updates the pipeline meters. Every labelled counter is registered at 0 for its known label
 * values at start, so that panels show 0 rather than nothing. Prometheus names:
 * <ul>
 * <li>{@code dtm_events_received_total{feed}}: records read from a feed topic, plus events rejected over HTTP</li>
 * <li>{@code dtm_events_accepted_total{feed}}: valid events seen for the first time (then resolved by vintage)</li>
 * <li>{@code dtm_events_rejected_total{feed,reason}}: events sent to the dead-letter topic</li>
 * <li>{@code dtm_events_duplicate_total{feed}}: events whose (source, id) was seen before</li>
 * <li>{@code dtm_observations_revised_total{feed}}: observations replaced by a later vintage</li>
 * <li>{@code dtm_observations_stale_total{feed}}: observations of an equal or older vintage, which change nothing,
 * and retractions older than what stands</li>
 * <li>{@code dtm_observations_retracted_total{feed}}: retractions ({@code dtm.retraction.v1}) that won their series
 * and period, withdrawing the observation (if one stood); an observation that then brings it back at a later
 * vintage counts as revised</li>
 * <li>{@code dtm_indicator_updates_total{indicator}}: indicator values computed, by kind</li>
 * <li>{@code dtm_model_rows_skipped_total{model,reason}}: panel rows not built (a value ≤ 0 under a log)</li>
 * <li>{@code dtm_model_rows_mismatched_total{model}}: row changes whose old row was not the row the model's panel
 * held (a row to remove that was not there); the panel took the new row and went on</li>
 * <li>{@code dtm_records_dead_lettered_total{topic,reason}}: records of a topic the service reads that could not be
 * read ({@code deserialization}), processed ({@code processing}) or written ({@code production}, where
 * {@code topic} is the topic written to) and went to the dead-letter topic instead; registered at 0 for every
 * topic the service reads</li>
 * <li>{@code dtm_event_to_indicator_seconds}: histogram of the time from an event's publication to the indicator
 * values it caused</li>
 * </ul>
 * Feed label values: {@code trade}, {@code compute}, {@code policy}, {@code macro}, and {@code unknown} for HTTP
 * events whose type names no feed. Per feed, received = accepted + rejected + duplicate once the pipeline has
 * caught up. Counters count work done; after a failed exactly-once transaction is retried,
 * its records are counted again (as Kafka Streams' own metrics are).
 */
@ApplicationScoped
public class DtmMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer eventToIndicator;

    public DtmMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String feed : feedLabels()) {
            received(feed, 0);
            accepted(feed, 0);
            duplicate(feed, 0);
            counter("dtm.observations.revised", "Observations replaced by a later vintage", "feed", feed);
            counter("dtm.observations.stale", "Observations of an equal or older vintage that changed nothing",
                    "feed", feed);
            retractedCounter(feed);
            for (RejectReason reason : RejectReason.values()) {
                rejectedCounter(feed, reason);
            }
        }
        this.eventToIndicator = Timer.builder("dtm.event.to.indicator")
                .description("Time from an event's publication on a feed topic to the indicator values it caused")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /** The registry these meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    public void received(String feed) {
        received(feed, 1);
    }

    public void accepted(String feed) {
        accepted(feed, 1);
    }

    public void rejected(String feed, RejectReason reason) {
        rejectedCounter(feed, reason).increment();
    }

    public void duplicate(String feed) {
        duplicate(feed, 1);
    }

    public void revised(String feed) {
        counter("dtm.observations.revised", "Observations replaced by a later vintage", "feed", feed).increment();
    }

    public void stale(String feed) {
        counter("dtm.observations.stale", "Observations of an equal or older vintage that changed nothing",
                "feed", feed).increment();
    }

    /** Counts a retraction that won its series and period. */
    public void retracted(String feed) {
        retractedCounter(feed).increment();
    }

    private Counter retractedCounter(String feed) {
        return counter("dtm.observations.retracted", "Retractions that withdrew the observation of their series and"
                + " period at their vintage", "feed", feed);
    }

    /** Counts a panel row a model could not build ({@code reason}: a value ≤ 0 under a log). */
    public void modelRowSkipped(String model, String reason) {
        counter("dtm.model.rows.skipped", "Panel rows not built because a value under a log was not positive",
                "model", model, "reason", reason).increment();
    }

    /** Registers {@code dtm_model_rows_skipped_total{model,reason}} and {@code dtm_model_rows_mismatched_total} at 0. */
    public void registerModel(String model) {
        counter("dtm.model.rows.skipped", "Panel rows not built because a value under a log was not positive",
                "model", model, "reason", "non-positive");
        modelRowMismatchedCounter(model);
    }

    /** Counts a row change whose old row was not the row the model's panel held. */
    public void modelRowMismatched(String model) {
        modelRowMismatchedCounter(model).increment();
    }

    private Counter modelRowMismatchedCounter(String model) {
        return counter("dtm.model.rows.mismatched", "Row changes whose old row was not the row the model's panel held;"
                + " the panel took the new row", "model", model);
    }

    /** Counts a record of {@code topic} dead-lettered for {@code reason}. */
    public void deadLettered(String topic, String reason) {
        deadLetteredCounter(topic, reason).increment();
    }

    /** Registers {@code dtm_records_dead_lettered_total{topic,reason}} at 0. */
    public void registerDeadLettered(String topic, String reason) {
        deadLetteredCounter(topic, reason);
    }

    /** Registers {@code dtm_indicator_updates_total{indicator=kind}} at 0. */
    public void registerIndicatorKind(String kind) {
        indicatorCounter(kind);
    }

    public void indicatorUpdated(String kind) {
        indicatorCounter(kind).increment();
    }

    public void eventToIndicator(Duration latency) {
        eventToIndicator.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    private void received(String feed, double amount) {
        counter("dtm.events.received", "Events read from a feed topic, plus events rejected over HTTP", "feed", feed)
                .increment(amount);
    }

    private void accepted(String feed, double amount) {
        counter("dtm.events.accepted", "Valid events seen for the first time", "feed", feed).increment(amount);
    }

    private void duplicate(String feed, double amount) {
        counter("dtm.events.duplicate", "Events whose (source, id) was seen before", "feed", feed).increment(amount);
    }

    private Counter rejectedCounter(String feed, RejectReason reason) {
        return counter("dtm.events.rejected", "Events sent to the dead-letter topic", "feed", feed,
                "reason", reason.label());
    }

    private Counter deadLetteredCounter(String topic, String reason) {
        return counter("dtm.records.dead.lettered", "Records that could not be read, processed or written and went "
                + "to the dead-letter topic", "topic", topic, "reason", reason);
    }

    private Counter indicatorCounter(String kind) {
        return counter("dtm.indicator.updates", "Indicator values computed", "indicator", kind);
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(name + String.join("|", tags),
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    private static List<String> feedLabels() {
        List<String> labels = new ArrayList<>();
        for (Feed feed : Feed.values()) {
            labels.add(feed.label());
        }
        labels.add(Feed.UNKNOWN_LABEL);
        return labels;
    }
}
