package io.dtm;

import static io.dtm.support.TestEvents.structuredHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.Feed;
import io.dtm.events.Observation;
import io.dtm.ingest.EventDecoder;
import io.dtm.support.PipelineDriver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retractions ({@code dtm.retraction.v1}) through ingest and the indicators, wired as the service wires them: a
 * retraction withdraws the observation of its series and period at its vintage (a tombstone on
 * {@code dtm.observations.v1}) and the indicator values that used it; a later vintage brings it back; an older one
 * changes nothing; and the same events in any order end with the same observations and indicators as the winning
 * observations alone.
 */
class RetractionTest {

    private static final String SOURCE = "urn:test:retraction";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    /**
     * One event of a series and period: an observation, or a retraction of it.
     *
     * @param reporter the reporter (trade), region (compute) or country (policy)
     * @param period   the period (policy: the effective date)
     */
    record Ev(String id, boolean retraction, Feed feed, String reporter, String flow, String category, String period,
            double value, String vintage) {

        /** The key on {@code dtm.observations.v1}. */
        String key() {
            return switch (feed) {
                case TRADE -> String.join("|", "trade", reporter, "WLD", flow, category, period);
                case COMPUTE -> String.join("|", "compute", reporter, "", "", category, period);
                case POLICY -> String.join("|", "policy", reporter, "", "", category, period);
                case MACRO -> throw new IllegalArgumentException("no macro events here");
            };
        }

        Ev retract(String newId, String atVintage) {
            return new Ev(newId, true, feed, reporter, flow, category, period, 0, atVintage);
        }

        Ev revise(String newId, double newValue, String atVintage) {
            return new Ev(newId, false, feed, reporter, flow, category, period, newValue, atVintage);
        }

        ObjectNode event() {
            ObjectNode data = JSON.objectNode();
            if (retraction) {
                data.put("feed", feed.label());
            }
            switch (feed) {
                case TRADE -> data.put("reporter", reporter).put("partner", "WLD").put("flow", flow)
                        .put("category", category).put("period", period);
                case COMPUTE -> data.put("region", reporter).put("metric", category).put("period", period);
                case POLICY -> data.put("country", reporter).put("measure", category)
                        .put(retraction ? "period" : "effective", period);
                default -> throw new IllegalArgumentException();
            }
            data.put("vintage", vintage);
            if (!retraction) {
                switch (feed) {
                    case TRADE -> data.put("value", value).put("unit", "USD_MN");
                    case COMPUTE -> {
                        data.put("value", value).put("unit", "EFLOPS_FP16");
                        if (reporter.contains("-")) {
                            data.put("hubGroup", "NATIONAL_HUB");
                        }
                    }
                    case POLICY -> data.put("direction", "NEUTRAL").put("indexValue", value);
                    default -> throw new IllegalArgumentException();
                }
            }
            ObjectNode event = JSON.objectNode().put("specversion", "1.0").put("id", id).put("source", SOURCE)
                    .put("type", retraction ? EventDecoder.RETRACTION : feed.eventType());
            event.set("data", data);
            return event;
        }
    }

    /** The winner of a (series, period): later vintage, then a retraction before an observation, then the greater id. */
    private static final Comparator<Ev> ORDER = Comparator.comparing(Ev::vintage).thenComparing(Ev::retraction)
            .thenComparing(Ev::id);

    /**
     * Trade (CHN, JPN, KOR and WLD × DDS and services exports, services imports × 2018–2023), intelligent compute
     * (CHN and two hubs × 2020–2024) and DSTRI changes of three countries: every kind of indicator has inputs.
     *
     * @param revisions whether some periods come in a second, later vintage
     */
    private static List<Ev> base(long seed, boolean revisions) {
        Random random = new Random(seed);
        List<Ev> events = new ArrayList<>();
        String[][] series = {{"EXPORT", "DDS"}, {"EXPORT", "SERVICES"}, {"IMPORT", "SERVICES"}};
        int n = 0;
        for (String reporter : List.of("CHN", "JPN", "KOR", "WLD")) {
            double scale = reporter.equals("WLD") ? 20 : 1;
            for (String[] s : series) {
                for (int year = 2018; year <= 2023; year++) {
                    int vintages = revisions ? 1 + random.nextInt(2) : 1;
                    for (int v = 0; v < vintages; v++) {
                        events.add(new Ev("t" + n++, false, Feed.TRADE, reporter, s[0], s[1], Integer.toString(year),
                                scale * (50 + random.nextInt(100) + random.nextDouble()), (year + 1 + v) + "-06-30"));
                    }
                }
            }
        }
        for (String region : List.of("CHN", "CHN-GUIZHOU", "CHN-GANSU")) {
            double scale = region.equals("CHN") ? 10 : 1;
            for (int year = 2020; year <= 2024; year++) {
                events.add(new Ev("c" + n++, false, Feed.COMPUTE, region, "", "INTELLIGENT_EFLOPS_FP16",
                        Integer.toString(year), scale * (1 + random.nextDouble()), (year + 1) + "-03-01"));
            }
        }
        for (String country : List.of("CHN", "JPN", "KOR")) {
            for (int change = 0; change < 3; change++) {
                events.add(new Ev("p" + n++, false, Feed.POLICY, country, "", "DSTRI", (2018 + 2 * change) + "-07-01",
                        random.nextDouble(), "2024-01-01"));
            }
        }
        return events;
    }

    private static Ev find(List<Ev> events, String key) {
        return events.stream().filter(e -> e.key().equals(key)).max(ORDER).orElseThrow();
    }

    /** The observations that win their (series, period) and are not withdrawn, each event counted once. */
    private static List<Ev> winners(List<Ev> events) {
        Map<String, Ev> best = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (Ev e : events) {
            if (seen.add(e.id())) {
                best.merge(e.key(), e, (a, b) -> ORDER.compare(a, b) >= 0 ? a : b);
            }
        }
        return best.values().stream().filter(e -> !e.retraction()).toList();
    }

    /** What the pipeline holds after the events: observations by key and indicator values by key. */
    private record Outcome(Map<String, Observation> observations, Map<String, Double> indicators) {
    }

    private static void send(PipelineDriver pipeline, List<Ev> events) {
        events.forEach(e -> pipeline.send(e.feed(), structuredHeaders(), e.event()));
    }

    private static Outcome outcome(PipelineDriver pipeline) {
        Map<String, Double> values = new TreeMap<>();
        pipeline.indicators().forEach((k, v) -> values.put(k, v.value()));
        return new Outcome(new TreeMap<>(pipeline.observations()), values);
    }

    /** What a fresh pipeline computes from the winning observations alone, sent in order. */
    private Outcome expected(List<Ev> events) throws Exception {
        try (PipelineDriver pipeline = new PipelineDriver(java.nio.file.Files.createTempDirectory(dir, "expected-"))) {
            send(pipeline, winners(events));
            return outcome(pipeline);
        }
    }

    private static double counter(PipelineDriver pipeline, String name, String feed) {
        return pipeline.registry.get(name).tag("feed", feed).counter().count();
    }

    private static final String DDS = "trade|CHN|WLD|EXPORT|DDS|2022";
    private static final String HUB = "compute|CHN-GUIZHOU|||INTELLIGENT_EFLOPS_FP16|2022";
    private static final String DSTRI = "policy|JPN|||DSTRI|2020-07-01";

    @Test
    void shouldWithdrawTheObservationAndTheIndicatorValuesThatUsedIt() throws Exception {
        List<Ev> events = new ArrayList<>(base(5, false));
        try (PipelineDriver pipeline = new PipelineDriver(dir.resolve("run"))) {
            send(pipeline, events);
            Outcome before = outcome(pipeline);
            assertTrue(before.observations().keySet().containsAll(List.of(DDS, HUB, DSTRI)));
            assertEquals(0, counter(pipeline, "dtm.observations.retracted", "trade"), "registered at 0");

            List<Ev> retractions = List.of(find(events, DDS).retract("r1", find(events, DDS).vintage()),
                    find(events, HUB).retract("r2", "2026-01-01"), find(events, DSTRI).retract("r3", "2025-01-01"));
            send(pipeline, retractions);
            events.addAll(retractions);
            Outcome after = outcome(pipeline);

            assertFalse(after.observations().containsKey(DDS), "same vintage: the retraction wins");
            assertFalse(after.observations().containsKey(HUB));
            assertFalse(after.observations().containsKey(DSTRI));
            assertEquals(before.observations().size() - 3, after.observations().size());
            assertFalse(after.indicators().keySet().containsAll(before.indicators().keySet()),
                    "values that used the withdrawn observations are withdrawn");
            assertNotEquals(before.indicators(), after.indicators());
            assertEquals(expected(events), after, "as if the withdrawn observations had never come");
            for (String feed : List.of("trade", "compute", "policy")) {
                assertEquals(1, counter(pipeline, "dtm.observations.retracted", feed), feed);
            }
            assertEquals(events.size(), counter(pipeline, "dtm.events.accepted", "trade")
                    + counter(pipeline, "dtm.events.accepted", "compute")
                    + counter(pipeline, "dtm.events.accepted", "policy"), "a retraction counts as accepted");
        }
    }

    @Test
    void shouldBringTheObservationBackWithALaterVintage() throws Exception {
        List<Ev> events = new ArrayList<>(base(6, false));
        Ev dds = find(events, DDS);
        try (PipelineDriver pipeline = new PipelineDriver(dir.resolve("run"))) {
            send(pipeline, events);
            Outcome original = outcome(pipeline);
            List<Ev> more = List.of(dds.retract("r1", "2024-01-01"), dds.revise("back", 321.5, "2024-02-01"));
            send(pipeline, more.subList(0, 1));
            assertFalse(outcome(pipeline).observations().containsKey(DDS));
            send(pipeline, more.subList(1, 2));
            events.addAll(more);
            Outcome after = outcome(pipeline);

            assertEquals(321.5e6, after.observations().get(DDS).value(), 1e-3, "USD_MN in USD");
            assertEquals("2024-02-01", after.observations().get(DDS).vintage());
            assertEquals(original.indicators().keySet(), after.indicators().keySet(), "every value is back");
            assertEquals(expected(events), after);
            assertEquals(1, counter(pipeline, "dtm.observations.revised", "trade"), "it replaced the retraction");
        }
    }

    @Test
    void shouldChangeNothingWithARetractionOlderThanTheObservationAndDropItsRepeat() throws Exception {
        List<Ev> events = new ArrayList<>(base(7, false));
        Ev dds = find(events, DDS);
        try (PipelineDriver pipeline = new PipelineDriver(dir.resolve("run"))) {
            send(pipeline, events);
            Outcome before = outcome(pipeline);
            Ev stale = dds.retract("old", "2019-01-01");
            send(pipeline, List.of(stale, stale));
            Outcome after = outcome(pipeline);

            assertEquals(before, after);
            assertEquals(1, counter(pipeline, "dtm.observations.stale", "trade"));
            assertEquals(1, counter(pipeline, "dtm.events.duplicate", "trade"), "the repeat of the retraction");
            assertEquals(0, counter(pipeline, "dtm.observations.retracted", "trade"));
        }
    }

    /**
     * The same events — observations in one or two vintages, retractions older than, as old as and newer than the
     * observations, observations coming back after a retraction, repeats — in several seeded orders.
     */
    @Test
    void shouldEndWithTheSameObservationsAndIndicatorsInAnyOrder() throws Exception {
        List<Ev> base = base(11, true);
        Random random = new Random(13);
        List<Ev> events = new ArrayList<>(base);
        Map<String, Ev> latest = new TreeMap<>();
        base.forEach(e -> latest.merge(e.key(), e, (a, b) -> ORDER.compare(a, b) >= 0 ? a : b));
        int n = 0;
        for (Ev e : latest.values()) {
            switch (random.nextInt(6)) {
                case 0 -> events.add(e.retract("r" + n++, e.vintage())); // withdrawn at its vintage
                case 1 -> events.add(e.retract("r" + n++, "2017-01-01")); // stale
                case 2 -> { // withdrawn, then back
                    events.add(e.retract("r" + n++, "2025-03-01"));
                    events.add(e.revise("b" + n++, e.value() * 1.5, "2025-04-01"));
                }
                case 3 -> { // withdrawn by a newer retraction after a revision it also beats, repeated
                    events.add(e.revise("b" + n++, e.value() * 2, "2025-05-01"));
                    Ev r = e.retract("r" + n++, "2025-06-01");
                    events.add(r);
                    events.add(r);
                }
                default -> {
                }
            }
        }
        Outcome expected = expected(events);
        Set<String> withdrawn = new HashSet<>(latest.keySet());
        withdrawn.removeAll(expected.observations().keySet());
        assertTrue(withdrawn.size() > 10, "enough withdrawn: " + withdrawn.size());
        assertTrue(expected.indicators().size() > 100, "enough values: " + expected.indicators().size());

        for (long seed : new long[] {1, 2, 3, 4}) {
            List<Ev> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(seed));
            try (PipelineDriver pipeline = new PipelineDriver(dir.resolve("order-" + seed))) {
                send(pipeline, shuffled);
                Outcome outcome = outcome(pipeline);
                assertEquals(expected.observations(), outcome.observations(), "observations, order " + seed);
                assertEquals(expected.indicators(), outcome.indicators(), "indicators, order " + seed);
            }
        }
    }
}
