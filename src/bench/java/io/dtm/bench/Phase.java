package io.dtm.bench;

/** One phase of {@link ThroughputBenchmark}: what it measures is said where it is defined. */
interface Phase {

    /** Its label in the report, e.g. {@code (b) pass-through}. */
    String name();

    /**
     * Runs and measures it on the N events published, then checks what it wrote (outside the timing).
     *
     * @throws IllegalStateException when it fails, does not finish in time, or writes other than expected
     */
    Outcome run(Bench bench) throws Exception;

    /**
     * A Kafka Streams phase measured warm when {@code --warmup W}: its warm-up is the same work over the first W
     * events, as an application of its own, outside the figures.
     */
    interface WarmedUp extends Phase {

        /** The warm-up's application; it ends once it has processed W events and committed. */
        StreamsApp warmUp(Bench bench);
    }
}
