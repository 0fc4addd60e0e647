package io.dtm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.Feed;
import io.dtm.events.Observation;
import io.dtm.indicators.Catalogue;
import io.dtm.indicators.IndicatorKind;
import io.dtm.ingest.EventDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Synthetic, valid trade events (structured-mode CloudEvents JSON) for the benchmark, from a fixed seed.
 * <p>
 * 2 000 series (20 reporters × 5 partners × 2 flows × 10 categories, the aggregates WLD, RCEP and NON_RCEP among
 * them, so that every trade entry of the default catalogue has inputs) × monthly periods from 1984-01 (500 of them
 * end in 2025, so that a million events stay before today and their vintages are not refused), filled period by
 * period; about 2 % of the events are revisions (a later vintage) of an earlier (series, period).
 * Values are in USD_MN, a random level per series with a random trend and noise; the world series carry a
 * {@code reportedGrowthPct}. Every event is marked {@code "synthetic": true}. The record key is the series' string form
 * ({@code trade|reporter|partner|flow|category}), as the service's HTTP ingest keys it, or the event's
 * {@code source|id} (then most events take the repartition to their series' partition).
 * <p>
 * Each event is decoded here with the service's own {@link EventDecoder} and placed with the catalogue's own
 * {@link IndicatorKind#place}, so that the benchmark knows how many indicator inputs the pipeline must compute.
 * Revisions only go to (series, period) cells with the most common number of placements, so that the expected
 * number is exact whatever the arrival order: an event that loses to a later vintage already stored (stale)
 * removes exactly that many inputs.
 */
final class SyntheticTrade {

    static final String SOURCE = "urn:dtm:bench";
    static final int SERIES = 2_000;
    /** The year of the first period. */
    static final int FIRST_YEAR = 1984;
    static final String CONTENT_TYPE = "application/cloudevents+json";

    private static final List<String> REPORTERS = List.of("WLD", "RCEP", "NON_RCEP", "AUS", "BRN", "KHM", "CHN",
            "IDN", "JPN", "LAO", "MYS", "MMR", "NZL", "PHL", "SGP", "KOR", "THA", "VNM", "USA", "IND");
    private static final List<String> PARTNERS = List.of("WLD", "RCEP", "NON_RCEP", "USA", "CHN");
    private static final List<String> FLOWS = List.of("EXPORT", "IMPORT");
    private static final List<String> CATEGORIES = List.of("GOODS", "SERVICES", "DDS", "ICT", "SC", "SD", "SF", "SG",
            "SI", "SJ");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record to publish. */
    record Event(byte[] key, byte[] value) {
    }

    /** The events, in publication order, and what the pipeline must do with them. */
    record Data(List<Event> events, int cells, int periods, int revisions, int revisedCellPlacements,
            long placements) {

        /** Indicator inputs the pipeline computes once every event is through, given the stale events it counted. */
        long expectedIndicatorInputs(long stale) {
            return placements - stale * revisedCellPlacements;
        }
    }

    private SyntheticTrade() {
    }

    /** Kafka headers of every event (structured mode). */
    static Headers headers() {
        return new RecordHeaders().add("content-type", CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code events} events, of which {@code events / 50} revisions. */
    static Data generate(int events, long seed, Catalogue catalogue, boolean keyBySeries) {
        if (events < 2) {
            throw new IllegalArgumentException("at least 2 events, got " + events);
        }
        Random random = new Random(seed);
        int revisions = events / 50;
        int cells = events - revisions;
        int periods = (cells + SERIES - 1) / SERIES;

        double[] level = new double[SERIES];
        double[] trend = new double[SERIES];
        for (int s = 0; s < SERIES; s++) {
            level[s] = Math.exp(Math.log(10) + random.nextDouble() * (Math.log(100_000) - Math.log(10)));
            trend[s] = -0.05 + random.nextDouble() * 0.20;
        }

        // The original event of every cell, period by period; placements counted with the real code.
        byte[][] keys = new byte[cells][];
        byte[][] values = new byte[cells][];
        int[] placementsOf = new int[cells];
        for (int c = 0; c < cells; c++) {
            int series = c % SERIES;
            int period = c / SERIES;
            keys[c] = seriesKey(series).getBytes(StandardCharsets.UTF_8);
            values[c] = event(series, period, 0, c, level, trend, random);
        }
        Headers headers = headers();
        IntStream.range(0, cells).parallel()
                .forEach(c -> placementsOf[c] = placements(catalogue, decode(headers, values[c])));

        // Revisions go to cells with the most common placement count.
        int mode = mode(placementsOf);
        int[] eligible = IntStream.range(0, cells).filter(c -> placementsOf[c] == mode).toArray();
        long[] inserts = new long[revisions]; // (position << 32) | target
        for (int r = 0; r < revisions; r++) {
            int pos;
            int bound;
            do {
                pos = random.nextInt(cells);
                bound = upperBound(eligible, pos); // eligible cells published at or before pos
            } while (bound == 0);
            int target = eligible[random.nextInt(bound)];
            inserts[r] = ((long) pos << 32) | target;
        }
        Arrays.sort(inserts);

        List<Event> out = new ArrayList<>(events);
        int[] revisionCount = new int[cells];
        long placements = 0;
        int next = 0;
        for (int c = 0; c < cells; c++) {
            out.add(new Event(keyBySeries ? keys[c] : idKey(c), values[c]));
            placements += placementsOf[c];
            while (next < revisions && (int) (inserts[next] >>> 32) == c) {
                int target = (int) inserts[next++];
                int k = ++revisionCount[target];
                byte[] value = event(target % SERIES, target / SERIES, k, cells + next - 1, level, trend, random);
                int p = placements(catalogue, decode(headers, value));
                if (p != mode) {
                    throw new IllegalStateException("a revision has " + p + " placements, its cell " + mode);
                }
                out.add(new Event(keyBySeries ? keys[target] : idKey(cells + next - 1), value));
                placements += p;
            }
        }
        return new Data(out, cells, periods, revisions, mode, placements);
    }

    /** {@code reporter|partner|flow|category} of series {@code s}. */
    /** The key of event {@code seq} when events are keyed by id: its {@code source|id}. */
    private static byte[] idKey(int seq) {
        return (SOURCE + "|bench-" + seq).getBytes(StandardCharsets.UTF_8);
    }

    static String seriesKey(int s) {
        int category = s % CATEGORIES.size();
        int flow = (s / CATEGORIES.size()) % FLOWS.size();
        int partner = (s / (CATEGORIES.size() * FLOWS.size())) % PARTNERS.size();
        int reporter = s / (CATEGORIES.size() * FLOWS.size() * PARTNERS.size());
        return String.join("|", "trade", REPORTERS.get(reporter), PARTNERS.get(partner), FLOWS.get(flow),
                CATEGORIES.get(category));
    }

    /** {@code YYYY-MM} of period index {@code p} (0 = 1984-01). */
    static String period(int p) {
        return String.format("%04d-%02d", FIRST_YEAR + p / 12, p % 12 + 1);
    }

    private static byte[] event(int series, int period, int revision, int seq, double[] level, double[] trend,
            Random random) {
        String[] parts = seriesKey(series).substring("trade|".length()).split("\\|");
        double value = level[series] * Math.pow(1 + trend[series], period / 12.0)
                * (1 + 0.05 * random.nextGaussian());
        value = Math.max(0.01, Math.round(value * 1000) / 1000.0);
        LocalDate vintage = LocalDate.of(FIRST_YEAR + period / 12, period % 12 + 1, 15).plusMonths(2)
                .plusDays(30L * revision);
        ObjectNode data = JSON.createObjectNode()
                .put("reporter", parts[0]).put("partner", parts[1]).put("flow", parts[2]).put("category", parts[3])
                .put("period", period(period)).put("value", value).put("unit", "USD_MN")
                .put("vintage", vintage.toString()).put("synthetic", true);
        if (parts[0].equals("WLD") && parts[1].equals("WLD")) {
            data.put("reportedGrowthPct", Math.round((trend[series] * 100 + random.nextGaussian()) * 10) / 10.0);
        }
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", "bench-" + seq)
                .put("source", SOURCE).put("type", Feed.TRADE.eventType()).put("datacontenttype", "application/json");
        event.set("data", data);
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Observation decode(Headers headers, byte[] value) {
        EventDecoder.Decoded decoded = EventDecoder.decode(headers, value, Feed.TRADE, LocalDate.now(ZoneOffset.UTC));
        if (decoded instanceof EventDecoder.Accepted accepted) {
            return accepted.observation();
        }
        throw new IllegalStateException("a generated event is invalid: " + ((EventDecoder.Rejected) decoded).detail()
                + "\n" + new String(value, StandardCharsets.UTF_8));
    }

    private static int placements(Catalogue catalogue, Observation obs) {
        int n = 0;
        for (IndicatorKind kind : catalogue.kinds().values()) {
            n += kind.place(obs).size();
        }
        return n;
    }

    private static int mode(int[] counts) {
        int max = Arrays.stream(counts).max().orElse(0);
        int[] freq = new int[max + 1];
        for (int c : counts) {
            freq[c]++;
        }
        int best = 0;
        for (int i = 1; i <= max; i++) {
            if (freq[i] > freq[best]) {
                best = i;
            }
        }
        return best;
    }

    /** How many elements of the sorted {@code a} are ≤ {@code x}. */
    private static int upperBound(int[] a, int x) {
        int i = Arrays.binarySearch(a, x);
        return i >= 0 ? i + 1 : -i - 1;
    }
}
