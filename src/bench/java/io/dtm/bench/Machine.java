package io.dtm.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machine and this JVM have spent so far: CPU (of this JVM, of its native threads by kind, of another
 * process), collections, heap, load average. {@link Meter} takes the differences over a phase.
 */
final class Machine {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null).toList();

    private Machine() {
    }

    /** The 1, 5 and 15 minute load averages of the machine (other processes included), or n/a. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** CPU time of this JVM, every thread. */
    static long jvmCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /**
     * CPU time (ns) of this JVM's native threads by kind, from {@code /proc/self/task}: RocksDB's background
     * flushes and compactions ({@code rocksdb}), the garbage collector ({@code gc}), the JIT compilers
     * ({@code jit}); empty elsewhere than on Linux.
     */
    static Map<String, Long> nativeCpuByKind(long ticksPerSecond) {
        Map<String, Long> byKind = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String kind = comm.startsWith("rocksdb:") ? "rocksdb"
                            : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? "gc"
                            : comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? "jit" : null;
                    if (kind != null) {
                        byKind.merge(kind, statCpuNanos(stat, ticksPerSecond), Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return byKind;
    }

    /** Collections and collection time (ms) of every collector so far. */
    static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** Heap used now. */
    static long heapUsed() {
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /** Heap used after the last collection of each pool (the live set, as the collector last saw it). */
    static long heapAfterGc() {
        return HEAP_POOLS.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum();
    }

    /** utime + stime (fields 14 and 15) of a {@code /proc/.../stat} line, in ns. */
    private static long statCpuNanos(String stat, long ticksPerSecond) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 1_000_000_000L / ticksPerSecond;
    }

    /** CPU time of another process (the broker) from {@code /proc/<pid>/stat}. */
    record ProcessCpu(long pid, long ticksPerSecond) {

        /** Its CPU time so far, or -1 when unreadable. */
        long nanos() {
            try {
                return statCpuNanos(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), ticksPerSecond);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }
}
