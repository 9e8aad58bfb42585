package io.rvoip.rtp.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Ipv4RoutesTest {

    @Test
    void findsWhatTheMapHoldsAndNothingElse() throws Exception {
        Map<InetSocketAddress, String> map = new HashMap<>();
        Random r = new Random(3);
        for (int i = 0; i < 300; i++) {
            byte[] ip = {127, 0, (byte) r.nextInt(3), (byte) r.nextInt(256)};
            map.put(new InetSocketAddress(InetAddress.getByAddress(ip), 20000 + r.nextInt(40)), "session " + i);
        }
        Ipv4Routes<String> routes = Ipv4Routes.of(map);
        for (Map.Entry<InetSocketAddress, String> e : map.entrySet()) {
            // a fresh address object, as the socket makes one per datagram
            InetSocketAddress again = new InetSocketAddress(InetAddress.getByAddress(e.getKey().getAddress().getAddress()),
                    e.getKey().getPort());
            assertThat(routes.get(Ipv4Routes.key(again))).isSameAs(e.getValue());
        }
        int misses = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] ip = {127, 0, (byte) r.nextInt(4), (byte) r.nextInt(256)};
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(ip), 20000 + r.nextInt(60));
            if (!map.containsKey(a)) {
                assertThat(routes.get(Ipv4Routes.key(a))).isNull();
                misses++;
            }
        }
        assertThat(misses).isGreaterThan(1000);
        assertThat(Ipv4Routes.<String>empty().get(Ipv4Routes.key(new InetSocketAddress("127.0.0.1", 5000)))).isNull();
    }

    @Test
    void keysTellAddressAndPortApartAndLeaveIpv6ToTheMap() {
        long a = Ipv4Routes.key(new InetSocketAddress("10.0.0.1", 5004));
        assertThat(a).isNotZero();
        assertThat(Ipv4Routes.key(new InetSocketAddress("10.0.0.1", 5006))).isNotEqualTo(a);
        assertThat(Ipv4Routes.key(new InetSocketAddress("10.0.0.2", 5004))).isNotEqualTo(a);
        assertThat(Ipv4Routes.key(new InetSocketAddress("0.0.0.0", 0))).isNotZero();
        assertThat(Ipv4Routes.key(new InetSocketAddress("255.255.255.255", 65535))).isNotEqualTo(a).isPositive();
        assertThat(Ipv4Routes.key(new InetSocketAddress("::1", 5004))).isZero();
        Map<InetSocketAddress, String> v6 = Map.of(new InetSocketAddress("::1", 5004), "v6");
        assertThat(Ipv4Routes.of(v6).get(a)).isNull();
    }
}
