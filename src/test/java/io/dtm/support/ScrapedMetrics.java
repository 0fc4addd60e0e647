package io.dtm.support;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;

/** The service's {@code /q/metrics} as scraped, by series (name and labels exactly as exposed). */
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
