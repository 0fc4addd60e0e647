package io.dtm.support;

import static io.restassured.RestAssured.given;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The service's {@code /q/metrics} as scraped, or a Prometheus registry as it would be, by series (name and labels
 * exactly as exposed).
 */
public final class ScrapedMetrics {

    private final Map<String, Double> series = new HashMap<>();
    private final String text;

    private ScrapedMetrics(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    public static ScrapedMetrics scrape() {
        return new ScrapedMetrics(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** What a scrape of {@code registry} shows (Prometheus text format 0.0.4). */
    public static ScrapedMetrics of(CollectorRegistry registry) {
        StringWriter text = new StringWriter();
        try {
            TextFormat.write004(text, registry.metricFamilySamples());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ScrapedMetrics(text.toString());
    }

    /** Every series (name and labels as exposed) with its value. */
    public Map<String, Double> series() {
        return Map.copyOf(series);
    }

    /** The sum over the series named {@code name} whose labels include every given pair {@code k, v}. */
    public double value(String name, String... labels) {
        return series.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name + "{") || e.getKey().equals(name))
                .filter(e -> matchesAll(e.getKey(), labels))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Whether a series with that name and those labels is exposed. */
    public boolean has(String name, String... labels) {
        return series.keySet().stream().anyMatch(k -> (k.equals(name) || k.startsWith(name + "{"))
                && matchesAll(k, labels));
    }

    private static boolean matchesAll(String key, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!key.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
