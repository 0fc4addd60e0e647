package io.dtm.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * A generated SDMX-CSV file ten times larger than another is read with no more heap: the file is made on the fly
 * (never held whole), and the heap still in use near the end of each import, after a collection, is compared.
 */
class ConstantMemoryTest {

    private static final String[] AREAS = {"AUS", "CHN", "JPN", "KOR", "NZL", "IDN", "MYS", "PHL", "SGP", "THA"};

    /** SDMX-CSV 2.0 rows made as they are read. */
    static final class GeneratedSdmx extends InputStream {
        private final long rows;
        private long row = -1;
        private byte[] current = new byte[0];
        private int at;

        GeneratedSdmx(long rows) {
            this.rows = rows;
        }

        @Override
        public int read() throws IOException {
            if (at == current.length && !advance()) {
                return -1;
            }
            return current[at++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (at == current.length && !advance()) {
                return -1;
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }

        private boolean advance() {
            if (row >= rows) {
                return false;
            }
            String line = row < 0 ? "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MULT,"
                    + "OBS_STATUS\n"
                    : "dataflow,WB.DATA360:DS_DATA360(1.2),I," + AREAS[(int) (row % AREAS.length)]
                    + ",UNCTAD_DE_DIG_SERVTRADE_ANN_EXP," + (1900 + (row / AREAS.length) % 130) + "-"
                    + String.format("%02d", 1 + row % 12) + "," + (row % 1000) + ".5,6,A\n";
            current = line.getBytes(StandardCharsets.US_ASCII);
            at = 0;
            row++;
            return true;
        }
    }

    /** Imports {@code rows} generated rows; returns the heap in use (after a GC) when 90% of them were read. */
    private static long heapNearTheEnd(long rows) throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long[] used = new long[1];
        long[] seen = new long[1];
        long mark = rows * 9 / 10;
        ImportReport report = new Importer(Imports.DATASETS).run(Imports.DATASETS.dataset("unctad-dds").orElseThrow(),
                new GeneratedSdmx(rows), LocalDate.of(2025, 12, 18), item -> {
                    if (++seen[0] == mark) {
                        System.gc();
                        used[0] = memory.getHeapMemoryUsage().getUsed();
                    }
                });
        assertEquals(rows, report.published());
        return used[0];
    }

    @Test
    void shouldReadATenTimesLargerFileWithNoMoreHeap() throws IOException {
        heapNearTheEnd(20_000); // warm up
        long small = heapNearTheEnd(60_000);
        long large = heapNearTheEnd(600_000);
        assertTrue(small > 0 && large > 0);
        // what is held does not grow with the rows: 8 MiB of slack for the collector's own variation
        assertTrue(large < small + 8L * 1024 * 1024, "small " + small / 1024 + " KiB, large " + large / 1024
                + " KiB");
    }
}
