package io.dtm.streams;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A small binary encoding for our records on internal topics and in stores, where JSON's parsing cost is paid on
 * every hop: variable-length lengths, UTF-8 strings (any of them may be null), IEEE doubles.
 */
public final class Binary {

    /**
     * The deserializer of a binary format whose first byte is {@code format}: any other first byte is refused (the
     * format byte is there so that a later release can read what this one wrote).
     *
     * @param what what the bytes hold, for errors (e.g. "an observation")
     * @param read reads the fields after the format byte; every byte must be read
     */
    public static <T> Deserializer<T> deserializer(byte format, String what, Function<Reader, T> read) {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0) {
                throw new SerializationException("no bytes for " + what + " on " + topic);
            }
            Reader in = new Reader(bytes, 0);
            if (in.read() != format) {
                throw new SerializationException("unknown format " + bytes[0] + " of " + what + " on " + topic);
            }
            T value = read.apply(in);
            if (!in.done()) {
                throw new SerializationException("trailing bytes after " + what + " on " + topic);
            }
            return value;
        };
    }


    private Binary() {
    }

    /** Appends values to a growing byte array. */
    public static final class Writer {
        private byte[] buf;
        private int len;

        public Writer(int capacity) {
            this.buf = new byte[Math.max(16, capacity)];
        }

        /** One byte. */
        public Writer write(int b) {
            ensure(1);
            buf[len++] = (byte) b;
            return this;
        }

        /** A non-negative int in 7-bit groups, low first. */
        public Writer varint(int value) {
            ensure(5);
            int v = value;
            while ((v & ~0x7F) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
            return this;
        }

        /** A string or null: its UTF-8 length + 1 (0 for null), then the bytes. */
        public Writer string(String s) {
            if (s == null) {
                return varint(0);
            }
            int n = s.length();
            boolean ascii = true;
            for (int i = 0; i < n && ascii; i++) {
                ascii = s.charAt(i) < 0x80;
            }
            if (ascii) {
                varint(n + 1);
                ensure(n);
                for (int i = 0; i < n; i++) {
                    buf[len++] = (byte) s.charAt(i);
                }
                return this;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length + 1);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, len, utf8.length);
            len += utf8.length;
            return this;
        }

        /** A double, 8 bytes. */
        public Writer float64(double d) {
            ensure(8);
            long bits = Double.doubleToRawLongBits(d);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[len++] = (byte) (bits >>> shift);
            }
            return this;
        }

        /** A double or null: a presence byte, then the double. */
        public Writer nullableFloat64(Double d) {
            return d == null ? write(0) : write(1).float64(d);
        }

        /** A long, 8 bytes. */
        public Writer int64(long v) {
            return float64(Double.longBitsToDouble(v));
        }

        /** The bytes written. */
        public byte[] toBytes() {
            return Arrays.copyOf(buf, len);
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }
    }

    /** Reads what a {@link Writer} wrote, in the same order. */
    public static final class Reader {
        private final byte[] buf;
        private int pos;

        public Reader(byte[] buf, int offset) {
            this.buf = buf;
            this.pos = offset;
        }

        public int read() {
            check(1);
            return buf[pos++] & 0xFF;
        }

        public int varint() {
            int value = 0;
            for (int shift = 0; shift < 32; shift += 7) {
                int b = read();
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new SerializationException("malformed length");
        }

        public String string() {
            int n = varint() - 1;
            if (n < 0) {
                return null;
            }
            check(n);
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        public double float64() {
            check(8);
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (buf[pos++] & 0xFF);
            }
            return Double.longBitsToDouble(bits);
        }

        public Double nullableFloat64() {
            return read() == 0 ? null : float64();
        }

        public long int64() {
            return Double.doubleToRawLongBits(float64());
        }

        /** Whether every byte has been read. */
        public boolean done() {
            return pos == buf.length;
        }

        private void check(int n) {
            if (n > buf.length - pos) {
                throw new SerializationException("truncated record: " + n + " bytes wanted at " + pos + " of "
                        + buf.length);
            }
        }
    }
}
