package io.dtm.alerts;

import io.dtm.api.Problems;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Guards notification targets against server-side request forgery: a host that resolves to a loopback, private
 * (site-local, unique-local), link-local, wildcard or multicast address is refused unless the allow-list names
 * it (a host name, or an address as written).
 */
public final class TargetGuard {

    private final List<String> allowed;
    private final Resolver resolver;

    /** Name resolution (replaceable in tests). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public TargetGuard(List<String> allowed) {
        this(allowed, InetAddress::getAllByName);
    }

    public TargetGuard(List<String> allowed, Resolver resolver) {
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
    }

    /** Why {@code uri} is refused, or empty when it may be called. */
    public Optional<String> check(URI uri) {
        String host = uri.getHost();
        if (allowed.contains(host)) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("host " + Problems.echo(host) + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (allowed.contains(a.getHostAddress())) {
                continue;
            }
            if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                    || a.isMulticastAddress() || isUniqueLocal(a)) {
                return Optional.of("host " + Problems.echo(host) + " resolves to " + a.getHostAddress()
                        + ", a loopback, private or link-local address; list it in dtm.alerts.target-allow-list to use it");
            }
        }
        return Optional.empty();
    }

    /** IPv6 unique local addresses fc00::/7. */
    private static boolean isUniqueLocal(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 16 && (b[0] & 0xfe) == 0xfc;
    }
}
