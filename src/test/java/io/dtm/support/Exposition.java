package io.dtm.support;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Reads samples from a Prometheus registry as a scrape would see them. */
public final class Exposition {

    private Exposition() {
    }

    /** The samples named {@code name} whose labels include {@code labels}. */
    public static List<Collector.MetricFamilySamples.Sample> samples(CollectorRegistry registry, String name,
            Map<String, String> labels) {
        List<Collector.MetricFamilySamples.Sample> found = new ArrayList<>();
        for (Collector.MetricFamilySamples family : Collections.list(registry.metricFamilySamples())) {
            for (Collector.MetricFamilySamples.Sample sample : family.samples) {
                if (sample.name.equals(name) && labels.entrySet().stream().allMatch(l -> {
                    int i = sample.labelNames.indexOf(l.getKey());
                    return i >= 0 && sample.labelValues.get(i).equals(l.getValue());
                })) {
                    found.add(sample);
                }
            }
        }
        return found;
    }

    /** The value of the one sample named {@code name} whose labels include {@code labels}. */
    public static double value(CollectorRegistry registry, String name, Map<String, String> labels) {
        List<Collector.MetricFamilySamples.Sample> found = samples(registry, name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + " with " + labels + ", expected one");
        }
        return found.get(0).value;
    }
}
