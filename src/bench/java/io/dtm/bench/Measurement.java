package io.dtm.bench;

import java.util.Map;

/**
 * What a {@link Meter} saw over one phase: its records, wall-clock time, CPU of this JVM and of the broker (-1 when
 * not known), of this JVM's native threads by kind ({@code rocksdb}, {@code gc}, {@code jit}, where readable), the
 * collections and their pauses, the load average before and after, and the peak heap (0 where it was not sampled).
 */
record Measurement(String name, long records, long nanos, long cpuNanos, long brokerCpuNanos,
        Map<String, Long> nativeCpuNanos, long gcCollections, long gcPauseMillis, String load, long peakHeapUsed,
        long peakHeapAfterGc) {

    double seconds() {
        return nanos / 1e9;
    }

    /** Records per second. */
    double rate() {
        return records / seconds();
    }

    /** Whether the broker's CPU was measured. */
    boolean hasBrokerCpu() {
        return brokerCpuNanos >= 0;
    }

    /** CPU per record of this JVM and the broker together, in µs. */
    double cpuPerEventMicros() {
        return (cpuNanos + brokerCpuNanos) / 1e3 / records;
    }
}
