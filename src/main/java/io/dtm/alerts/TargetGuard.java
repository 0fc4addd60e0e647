package io.dtm.alerts;

import io.dtm.api.Problems;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Guards notification targets against server-side request forgery. A host is resolved once and refused when
 * one of its addresses is not public: loopback, private (10/8, 172.16/12, 192.168/16, unique-local fc00::/7,
 * site-local fec0::/10), shared 100.64/10, link-local, benchmarking 198.18/15, reserved 240/4 and the broadcast
 * address, 0/8 and the unspecified address, 192.0.0/24, multicast, IPv4-compatible {@code ::a.b.c.d}, NAT64
 * (64:ff9b::/96, 64:ff9b:1::/48) and 6to4 (2002::/16); IPv4-mapped addresses by the IPv4 rules. The allow-list
 * lets chosen hosts through: an entry is a host name or an address ({@code 10.0.0.5}, {@code ::1}), optionally
 * with a port ({@code host:9093}, {@code [fd00::1]:8443}) to allow that port only. {@link #decide} returns the
 * address it checked, so that the caller connects to it and nothing is resolved a second time.
 */
public final class TargetGuard {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<Entry> allowed;
    private final Resolver resolver;

    /** Name resolution (replaceable in tests). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The outcome for one target: the address to connect to, or why the target is refused. */
    public record Decision(InetAddress address, String refusal) {
        public Optional<String> refused() {
            return Optional.ofNullable(refusal);
        }
    }

    /** An allow-list entry: a host name or a canonical address, and a port or -1 for any. */
    private record Entry(String host, int port) {
        boolean allows(String name, InetAddress address, int targetPort) {
            return (port < 0 || port == targetPort)
                    && (host.equals(name) || address != null && host.equals(address.getHostAddress()));
        }
    }

    /**
     * @throws IllegalArgumentException when an allow-list entry is not a host, an address or one with a port
     */
    public TargetGuard(List<String> allowed) {
        this(allowed, InetAddress::getAllByName);
    }

    public TargetGuard(List<String> allowed, Resolver resolver) {
        this.allowed = allowed.stream().map(TargetGuard::entry).toList();
        this.resolver = resolver;
    }

    /** Why {@code uri} is refused, or empty when it may be called. */
    public Optional<String> check(URI uri) {
        return decide(uri).refused();
    }

    /** Resolves the host of {@code uri} once and decides: the address to connect to, or why not. */
    public Decision decide(URI uri) {
        String host = host(uri);
        int port = port(uri);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return new Decision(null, "host " + Problems.echo(host) + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            return new Decision(null, "host " + Problems.echo(host) + " does not resolve");
        }
        String name;
        try {
            name = canonical(host);
        } catch (IllegalArgumentException e) {
            return new Decision(null, "host " + Problems.echo(host) + " is not a valid address");
        }
        if (allowed.stream().anyMatch(e -> e.allows(name, null, port))) {
            return new Decision(addresses[0], null);
        }
        for (InetAddress a : addresses) {
            if (allowed.stream().anyMatch(e -> e.allows(name, a, port))) {
                continue;
            }
            Optional<String> kind = forbidden(a);
            if (kind.isPresent()) {
                return new Decision(null, "host " + Problems.echo(host) + " resolves to " + a.getHostAddress() + ", a "
                        + kind.get() + " address; list it in dtm.alerts.target-allow-list to use it");
            }
        }
        return new Decision(addresses[0], null);
    }

    /** The host of {@code uri} without the brackets of an IPv6 literal. */
    static String host(URI uri) {
        String host = uri.getHost();
        return host != null && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
                : host;
    }

    /** The port of {@code uri}, or its scheme's default. */
    static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** What kind of non-public address {@code a} is, or empty for a public one. */
    static Optional<String> forbidden(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return forbiddenV4(b, 0);
        }
        boolean first10Zero = true;
        for (int i = 0; i < 10; i++) {
            first10Zero &= b[i] == 0;
        }
        if (first10Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return forbiddenV4(b, 12).map(kind -> "IPv4-mapped " + kind);
        }
        if (first10Zero && b[10] == 0 && b[11] == 0) {
            boolean zero = b[12] == 0 && b[13] == 0 && b[14] == 0;
            if (zero && b[15] == 0) {
                return Optional.of("unspecified");
            }
            return Optional.of(zero && b[15] == 1 ? "loopback" : "IPv4-compatible");
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            boolean wellKnown = true;
            for (int i = 4; i < 12; i++) {
                wellKnown &= b[i] == 0;
            }
            boolean localUse = b[4] == 0 && b[5] == 1;
            if (wellKnown || localUse) {
                return Optional.of("NAT64");
            }
        }
        if (w0 == 0x2002) {
            return Optional.of("6to4");
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of("private (unique local)");
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
            return Optional.of("link-local");
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return Optional.of("private (site-local)");
        }
        if ((b[0] & 0xff) == 0xff) {
            return Optional.of("multicast");
        }
        return Optional.empty();
    }

    private static Optional<String> forbiddenV4(byte[] b, int at) {
        int o0 = b[at] & 0xff;
        int o1 = b[at + 1] & 0xff;
        int o2 = b[at + 2] & 0xff;
        String kind = null;
        if (o0 == 0) {
            kind = "unspecified (0.0.0.0/8)";
        } else if (o0 == 10 || o0 == 172 && (o1 & 0xf0) == 16 || o0 == 192 && o1 == 168) {
            kind = "private";
        } else if (o0 == 100 && (o1 & 0xc0) == 64) {
            kind = "private (shared 100.64.0.0/10)";
        } else if (o0 == 127) {
            kind = "loopback";
        } else if (o0 == 169 && o1 == 254) {
            kind = "link-local";
        } else if (o0 == 192 && o1 == 0 && o2 == 0) {
            kind = "reserved (192.0.0.0/24)";
        } else if (o0 == 198 && (o1 & 0xfe) == 18) {
            kind = "reserved (benchmarking 198.18.0.0/15)";
        } else if ((o0 & 0xf0) == 224) {
            kind = "multicast";
        } else if ((o0 & 0xf0) == 240) {
            kind = "reserved (240.0.0.0/4, broadcast)";
        }
        return Optional.ofNullable(kind);
    }

    private static Entry entry(String raw) {
        String s = raw.trim();
        String host = s;
        int port = -1;
        try {
            if (s.startsWith("[")) {
                int end = s.indexOf(']');
                if (end < 0) {
                    throw new IllegalArgumentException("no ]");
                }
                host = s.substring(1, end);
                String rest = s.substring(end + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new IllegalArgumentException("no : after ]");
                    }
                    port = Integer.parseInt(rest.substring(1));
                }
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                host = s.substring(0, s.indexOf(':'));
                port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
            }
            if (host.isEmpty() || port == 0 || port > 65535) {
                throw new IllegalArgumentException("no host or a port out of range");
            }
            return new Entry(canonical(host), port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dtm.alerts.target-allow-list: '" + raw + "' is not a host, an "
                    + "address, host:port or [IPv6]:port", e);
        }
    }

    /** A host name in lower case, or an address literal in its canonical form (parsed, never looked up). */
    private static String canonical(String host) {
        try {
            if (IPV4.matcher(host).matches()) {
                String[] octets = host.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(octets[i]);
                    if (octet > 255) {
                        throw new IllegalArgumentException("not an address: " + host);
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes).getHostAddress();
            }
            if (host.indexOf(':') >= 0) { // an IPv6 literal: parsed by the JDK without a lookup
                return InetAddress.getByName(host).getHostAddress();
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + host, e);
        }
        return host.toLowerCase(Locale.ROOT);
    }
}
