package io.dtm.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures one phase, the same way for every phase: what {@link Machine} reports at {@link #start()} and at the
 * end, and the peak heap of the samples taken meanwhile ({@link #sampleHeap()}). What is read at the start is read
 * before the clock starts, what is read at the end after it stops, so that reading it is not timed.
 */
final class Meter {

    private static final List<String> NATIVE_KINDS = List.of("rocksdb", "gc", "jit");

    private final String name;
    private final Machine.ProcessCpu broker;
    private final long ticksPerSecond;
    private String loadBefore;
    private long[] gcBefore;
    private Map<String, Long> nativeBefore;
    private long startCpu;
    private long startBroker;
    private long startNanos;
    private long peakHeapUsed;
    private long peakHeapAfterGc;

    /** A meter of the phase {@code name}; {@code broker} may be null (its CPU is then not known). */
    Meter(String name, Machine.ProcessCpu broker, long ticksPerSecond) {
        this.name = name;
        this.broker = broker;
        this.ticksPerSecond = ticksPerSecond;
    }

    void start() {
        loadBefore = Machine.loadAverage();
        gcBefore = Machine.gc();
        nativeBefore = Machine.nativeCpuByKind(ticksPerSecond);
        startCpu = Machine.jvmCpuNanos();
        startBroker = broker == null ? -1 : broker.nanos();
        startNanos = System.nanoTime();
    }

    /** {@link System#nanoTime()} at the start. */
    long startNanos() {
        return startNanos;
    }

    /** Takes the heap used and the heap after the last collection into the peaks. */
    void sampleHeap() {
        peakHeapUsed = Math.max(peakHeapUsed, Machine.heapUsed());
        peakHeapAfterGc = Math.max(peakHeapAfterGc, Machine.heapAfterGc());
    }

    /** Stops now, {@code records} having gone through. */
    Measurement stop(long records) {
        return stopAt(System.nanoTime(), records);
    }

    /** Stops at {@code endNanos} (a {@link System#nanoTime()} seen earlier), {@code records} having gone through. */
    Measurement stopAt(long endNanos, long records) {
        long brokerCpu = broker == null || startBroker < 0 ? -1 : broker.nanos() - startBroker;
        long cpu = Machine.jvmCpuNanos() - startCpu;
        long[] gcAfter = Machine.gc();
        Map<String, Long> nativeAfter = Machine.nativeCpuByKind(ticksPerSecond);
        Map<String, Long> nativeCpu = new LinkedHashMap<>();
        for (String kind : NATIVE_KINDS) {
            if (nativeAfter.containsKey(kind)) {
                nativeCpu.put(kind, nativeAfter.get(kind) - nativeBefore.getOrDefault(kind, 0L));
            }
        }
        return new Measurement(name, records, endNanos - startNanos, cpu, brokerCpu, nativeCpu,
                gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1], loadBefore + " -> " + Machine.loadAverage(),
                peakHeapUsed, peakHeapAfterGc);
    }
}
