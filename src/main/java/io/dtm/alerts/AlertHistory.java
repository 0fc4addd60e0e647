package io.dtm.alerts;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What an alert is evaluated on: the input that just arrived ({@code null} when only time passed) and every input
 * of the alert by period or release, that one included (a withdrawn value is not there).
 */
record AlertHistory(AlertInput arrived, NavigableMap<String, AlertInput> inputs) {

    /** Only time passed. */
    static AlertHistory tick() {
        return new AlertHistory(null, new TreeMap<>());
    }

    /** The values by period or release. */
    NavigableMap<String, Double> values() {
        NavigableMap<String, Double> values = new TreeMap<>();
        for (Map.Entry<String, AlertInput> e : inputs.entrySet()) {
            values.put(e.getKey(), e.getValue().value());
        }
        return values;
    }
}
