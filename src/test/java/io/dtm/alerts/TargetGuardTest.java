package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF guard with a fake resolver: no DNS is asked. */
class TargetGuardTest {

    /** A guard whose resolver answers {@code address} for every name and address literals as they are. */
    private static TargetGuard resolvingTo(InetAddress address, String... allowed) {
        return new TargetGuard(List.of(allowed), host -> host.contains(":") || host.matches("[0-9.]+")
                ? new InetAddress[] {InetAddress.getByName(host)} : new InetAddress[] {address});
    }

    @ParameterizedTest
    @ValueSource(strings = {"100.64.0.1", "100.127.255.255", "198.18.0.1", "198.19.255.254", "240.0.0.1",
        "255.255.255.255", "0.1.2.3", "192.0.0.8", "10.1.2.3", "172.31.0.1", "192.168.0.1", "127.0.0.2",
        "169.254.169.254", "224.0.0.1", "::1.2.3.4", "::1", "::", "64:ff9b::102:304", "64:ff9b:1::5",
        "2002:c000:204::1", "fd00::1", "fe80::1", "fec0::1", "ff02::1"})
    void shouldRefuseHostsResolvingToNonPublicAddresses(String address) throws Exception {
        TargetGuard guard = resolvingTo(InetAddress.getByName(address));
        var refusal = guard.check(URI.create("https://hooks.example/x"));
        assertTrue(refusal.isPresent(), address);
        assertTrue(refusal.get().startsWith("host hooks.example resolves to "), refusal.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "127.0.0.1", "100.64.0.1", "169.254.169.254"})
    void shouldJudgeIpv4MappedAddressesByTheIpv4Rules(String v4) throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(v4).getAddress(), 0, mapped, 12, 4);
        InetAddress address = Inet6Address.getByAddress("hooks.example", mapped, -1); // kept as IPv6 here
        assertTrue(TargetGuard.forbidden(address).orElseThrow().startsWith("IPv4-mapped"));
        byte[] publicMapped = mapped.clone();
        System.arraycopy(InetAddress.getByName("93.184.216.34").getAddress(), 0, publicMapped, 12, 4);
        assertTrue(TargetGuard.forbidden(Inet6Address.getByAddress("h", publicMapped, -1)).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"100.128.0.1", "100.63.255.255", "198.20.0.1", "198.17.255.255", "223.255.255.255",
        "93.184.216.34", "2606:4700::1111", "2001:db9::1", "64:ff9c::1"})
    void shouldAcceptPublicAddresses(String address) throws Exception {
        assertEquals(java.util.Optional.empty(), resolvingTo(InetAddress.getByName(address))
                .check(URI.create("https://hooks.example/x")));
    }

    @Test
    void shouldAllowOnlyThePortAnAllowListEntryNames() throws Exception {
        InetAddress internal = InetAddress.getByName("10.1.2.3");
        TargetGuard guard = resolvingTo(internal, "127.0.0.1:9999", "[::1]:8443", "hooks.internal:8080",
                "10.0.0.5:443", "other.internal");
        assertTrue(guard.check(URI.create("http://127.0.0.1:9999/hook")).isEmpty());
        assertTrue(guard.check(URI.create("http://127.0.0.1:9998/hook")).isPresent());
        assertTrue(guard.check(URI.create("https://[::1]:8443/hook")).isEmpty());
        assertTrue(guard.check(URI.create("https://[0:0:0:0:0:0:0:1]:8443/hook")).isEmpty());
        assertTrue(guard.check(URI.create("https://[::1]/hook")).isPresent());
        assertTrue(guard.check(URI.create("http://hooks.internal:8080/x")).isEmpty());
        assertTrue(guard.check(URI.create("http://HOOKS.internal:8080/x")).isEmpty());
        assertTrue(guard.check(URI.create("http://hooks.internal/x")).isPresent(), "port 80 is not 8080");
        assertTrue(guard.check(URI.create("https://10.0.0.5/x")).isEmpty(), "443 by default for https");
        assertTrue(guard.check(URI.create("http://10.0.0.5/x")).isPresent());
        assertTrue(guard.check(URI.create("http://other.internal:1234/x")).isEmpty(), "no port: every port");
    }

    @Test
    void shouldRefuseMalformedAllowListEntries() {
        for (String bad : List.of("[::1", "[::1]8443", "host:abc", "host:0", "host:70000", ":80")) {
            var e = assertThrows(IllegalArgumentException.class, () -> new TargetGuard(List.of(bad)), bad);
            assertTrue(e.getMessage().contains("dtm.alerts.target-allow-list"), e.getMessage());
        }
    }

    @Test
    void shouldResolveOnceAndReturnTheAddressItChecked() throws Exception {
        InetAddress public1 = InetAddress.getByName("93.184.216.34");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        AtomicInteger lookups = new AtomicInteger();
        // a rebinding name: public at the first lookup, loopback afterwards
        TargetGuard guard = new TargetGuard(List.of(), host -> new InetAddress[] {
            lookups.getAndIncrement() == 0 ? public1 : loopback});
        TargetGuard.Decision decision = guard.decide(URI.create("https://rebind.example/x"));
        assertEquals(1, lookups.get());
        assertEquals(public1, decision.address());
        assertTrue(decision.refused().isEmpty());
        assertTrue(guard.decide(URI.create("https://rebind.example/x")).refused().isPresent(),
                "the next lookup is judged afresh");
    }

    @Test
    void shouldRefuseWhenAnyAddressIsNotPublicAndSayWhenANameDoesNotResolve() throws Exception {
        Map<String, InetAddress[]> table = Map.of("mixed.example", new InetAddress[] {
            InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.1")});
        TargetGuard guard = new TargetGuard(List.of(), host -> {
            InetAddress[] found = table.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            return found;
        });
        assertTrue(guard.check(URI.create("http://mixed.example/")).orElseThrow().contains("10.0.0.1"));
        assertEquals("host nowhere.example does not resolve",
                guard.check(URI.create("http://nowhere.example/")).orElseThrow());
    }
}
