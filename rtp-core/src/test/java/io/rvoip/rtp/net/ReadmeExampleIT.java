package io.rvoip.rtp.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.time.TimerService;
import io.rvoip.rtp.RtpPacket;
import io.rvoip.rtp.jitter.Frame;
import io.rvoip.rtp.jitter.JitterBuffer;
import io.rvoip.rtp.srtp.SdesCrypto;
import io.rvoip.rtp.srtp.SrtpProfile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The example of rtp-core's README, as written there (real clock, loopback, ports from a range). */
class ReadmeExampleIT {

    @Test
    void theReadmeExampleWorks() throws Exception {
        int base = 30000 + 2 * new Random().nextInt(5000);
        // --- README example starts here
        ShardPool shards = ShardPool.create();
        TimerService timers = TimerService.builder(shards).build();
        RtpTransportGroup group = RtpTransportGroup.start(1, new PortAllocator(base, base + 99));
        InetAddress loopback = InetAddress.getLoopbackAddress();

        // SDES (RFC 4568): each side offers its own key in SDP; each sends with its own key
        SecureRandom random = new SecureRandom();
        SdesCrypto aliceKey = SdesCrypto.generate(1, SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
        SdesCrypto bobKey = SdesCrypto.parse("a=crypto:" + SdesCrypto.generate(1, SrtpProfile.AES_CM_128_HMAC_SHA1_80, random).format());

        // Bob plays what he receives through a jitter buffer
        JitterBuffer jitter = new JitterBuffer(JitterBuffer.Config.builder(8000, 160).build());
        AtomicInteger heard = new AtomicInteger();
        RtpSession bob = RtpSession.builder(group, timers).id("bob").localAddress(loopback)
                .srtp(bobKey.toPolicy(), aliceKey.toPolicy())
                .listener((session, packet, arrival) -> {
                    synchronized (jitter) {
                        jitter.put(packet.sequenceNumber(), packet.timestamp(), packet.marker(), packet.buffer(),
                                packet.payloadOffset(), packet.payloadLength(), arrival);
                    }
                })
                .open();
        RtpSession alice = RtpSession.builder(group, timers).id("alice").localAddress(loopback)
                .srtp(aliceKey.toPolicy(), bobKey.toPolicy())
                .remote(new InetSocketAddress(loopback, bob.localRtpPort()), null)
                .open();
        bob.remote(new InetSocketAddress(loopback, alice.localRtpPort()), null);

        byte[] pcmu = new byte[160];
        for (int i = 0; i < 50; i++) {
            alice.sendRtp(0, i == 0, i * 160L, pcmu, 0, 160);   // 20 ms of G.711 each
        }
        // the media clock of Bob pulls a frame every 20 ms
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (heard.get() < 40 && System.nanoTime() < deadline) {
            Frame f;
            synchronized (jitter) {
                f = jitter.pull(timers.clock().nanoTime());
                if (f.kind() == Frame.Kind.PACKET) {
                    heard.incrementAndGet();          // decode f.payload()[0..f.length()) here
                }
            }
            Thread.sleep(20);
        }
        alice.close();
        bob.close();
        group.close();
        timers.stop();
        shards.stop();
        // --- README example ends here
        assertThat(heard.get()).isGreaterThanOrEqualTo(40);
        assertThat(group.ports().inUse()).isZero();
        assertThat(RtpPacket.VERSION).isEqualTo(2);
    }
}
