package io.rvoip.sip.transport;

import static io.rvoip.sip.transport.TransportHarness.loopback;
import static io.rvoip.sip.transport.TransportHarness.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 3263 against a real DNS server on loopback. */
class ServerLocatorIT {
    private final TestDnsServer dns;
    private final TransportHarness server = new TransportHarness(c -> c.listen(TransportType.TCP, loopback())
            .listen(TransportType.UDP, loopback()));
    private final TransportHarness client = new TransportHarness(c -> c.listen(TransportType.UDP, loopback())
            .listen(TransportType.TCP, loopback()));
    private final SipServerLocator locator;
    private final int deadPort;

    ServerLocatorIT() throws Exception {
        dns = new TestDnsServer();
        locator = client.transport.locator(new SingletonDnsServerAddressStreamProvider(dns.address()), new Random(3));
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
    }

    @AfterEach
    void tearDown() {
        locator.close();
        client.close();
        server.close();
        dns.close();
    }

    private List<Destination> locate(String uri) throws Exception {
        return locator.locate((SipUri) Uri.parse(uri)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void naptrThenSrvThenAddressesWithFailoverToTheSecondTarget() throws Exception {
        int live = server.point(TransportType.TCP).port();
        dns.naptr("example.test", 10, 10, "SIP+D2T", "_sip._tcp.example.test", 300)
                .srv("_sip._tcp.example.test", 10, 0, deadPort, "dead.example.test", 300)
                .srv("_sip._tcp.example.test", 20, 0, live, "live.example.test", 300)
                .a("dead.example.test", "127.0.0.1", 300)
                .a("live.example.test", "127.0.0.1", 300);
        List<Destination> found = locate("sip:bob@example.test");
        assertThat(found).extracting(Destination::transport).containsOnly(TransportType.TCP);
        assertThat(found).extracting(d -> d.address().getPort()).containsExactly(deadPort, live);
        assertThat(found.get(0).hostName()).as("TLS verifies the SIP domain (RFC 5922)").isEqualTo("example.test");

        Destination used = client.transport.sendRequest(options(null), found).get(10, TimeUnit.SECONDS);
        assertThat(used.address().getPort()).isEqualTo(live);
        assertThat(server.next(TransportEvent.MessageReceived.class).transport()).isEqualTo(TransportType.TCP);
        assertThat(client.next(TransportEvent.ConnectionFailed.class).remote().getPort()).isEqualTo(deadPort);
    }

    @Test
    void naptrOrderAndPreferenceAndSipsForcingTls() throws Exception {
        dns.naptr("multi.test", 20, 10, "SIP+D2U", "_sip._udp.multi.test", 300)
                .naptr("multi.test", 10, 20, "SIP+D2T", "_sip._tcp.multi.test", 300)
                .naptr("multi.test", 10, 10, "SIPS+D2T", "_sips._tcp.multi.test", 300)
                .srv("_sip._udp.multi.test", 1, 0, 5060, "h.multi.test", 300)
                .srv("_sip._tcp.multi.test", 1, 0, 5060, "h.multi.test", 300)
                .srv("_sips._tcp.multi.test", 1, 0, 5061, "h.multi.test", 300)
                .a("h.multi.test", "127.0.0.2", 300);
        TransportHarness tlsCapable = new TransportHarness(c -> c.listen(TransportType.UDP, loopback())
                .tls(TlsConfig.builder().build()));
        try (SipServerLocator withTls = tlsCapable.transport.locator(
                new SingletonDnsServerAddressStreamProvider(dns.address()), new Random(1))) {
            List<Destination> plain = withTls.locate((SipUri) Uri.parse("sip:x@multi.test")).get(10, TimeUnit.SECONDS);
            assertThat(plain).extracting(Destination::transport)
                    .containsExactly(TransportType.TLS, TransportType.TCP, TransportType.UDP);
            List<Destination> secure = withTls.locate((SipUri) Uri.parse("sips:x@multi.test")).get(10, TimeUnit.SECONDS);
            assertThat(secure).extracting(Destination::transport).containsExactly(TransportType.TLS);
            assertThat(secure.get(0).address().getPort()).isEqualTo(5061);
        } finally {
            tlsCapable.close();
        }
    }

    @Test
    void withoutNaptrSrvIsTriedAndWithoutSrvTheAddress() throws Exception {
        dns.srv("_sip._udp.srvonly.test", 5, 0, 5070, "h.srvonly.test", 300).a("h.srvonly.test", "127.0.0.3", 300)
                .a("plain.test", "127.0.0.4", 300);
        assertThat(locate("sip:x@srvonly.test"))
                .extracting(Destination::transport, d -> d.address().getAddress().getHostAddress(),
                        d -> d.address().getPort(), Destination::hostName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(TransportType.UDP, "127.0.0.3", 5070,
                        "srvonly.test"));
        List<Destination> plain = locate("sip:x@plain.test");
        assertThat(plain).extracting(d -> d.address().getPort()).containsExactly(5060);
        assertThat(plain.get(0).transport()).isEqualTo(TransportType.UDP);
    }

    @Test
    void anExplicitPortOrTransportSkipsWhatItMakesUnnecessary() throws Exception {
        dns.a("host.test", "127.0.0.5", 300).srv("_sip._tcp.tp.test", 1, 0, 5080, "host.test", 300);
        assertThat(locate("sip:x@host.test:5099")).extracting(d -> d.address().getPort()).containsExactly(5099);
        assertThat(dns.queriesFor(DnsRecordType.NAPTR, "host.test")).isZero();
        assertThat(locate("sip:x@tp.test;transport=tcp")).extracting(Destination::transport, d -> d.address().getPort())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(TransportType.TCP, 5080));
        assertThat(dns.queriesFor(DnsRecordType.NAPTR, "tp.test")).isZero();
        List<Destination> numeric = locate("sips:x@192.0.2.7");
        assertThat(numeric).extracting(Destination::transport, d -> d.address().getPort())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(TransportType.TLS, 5061));
    }

    @Test
    void answersAreCachedForTheirTtl() throws Exception {
        dns.srv("_sip._udp.ttl.test", 1, 0, 5060, "h.ttl.test", 60).a("h.ttl.test", "127.0.0.6", 60);
        locate("sip:x@ttl.test");
        locate("sip:x@ttl.test");
        assertThat(dns.queriesFor(DnsRecordType.SRV, "_sip._udp.ttl.test")).isEqualTo(1);
        client.advance(Duration.ofSeconds(61).toMillis());
        locate("sip:x@ttl.test");
        assertThat(dns.queriesFor(DnsRecordType.SRV, "_sip._udp.ttl.test")).isEqualTo(2);
    }

    @Test
    void anUnknownDomainFails() {
        TransportHarness.assertFails(locator.locate((SipUri) Uri.parse("sip:x@nowhere.test")));
    }
}
