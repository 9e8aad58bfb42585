package io.rvoip.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The example of sip-transport's README, on ephemeral ports. */
class ReadmeExampleIT {

    @Test
    void theReadmeExampleWorks() throws Exception {
        ShardPool shards = ShardPool.create();
        TimerService timers = TimerService.builder(shards).build();
        EventBus bus = EventBus.builder().shards(shards).build();
        int port = TransportHarness.freePortForBoth();
        SipTransport transport = SipTransport.create(SipTransportConfig.builder(timers)
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", port))
                .listen(TransportType.TCP, new InetSocketAddress("127.0.0.1", port))
                .build(), bus);
        transport.start();
        try (TransportHarness client = new TransportHarness(c -> c.listen(TransportType.UDP,
                TransportHarness.loopback()))) {
            bus.subscribe(TransportEvent.MessageReceived.class).onShard().handle(e -> {
                if (e.message() instanceof SipRequest r && r.method().equals(SipMethod.OPTIONS)) {
                    transport.sendResponse(SipResponse.forRequest(r, StatusCode.OK).build(), e.connection());
                }
            });
            CompletableFuture<Destination> sent = client.transport.sendRequest(TransportHarness.options(null),
                    Destination.of(TransportType.UDP, new InetSocketAddress("127.0.0.1", port)));
            assertThat(sent).succeedsWithin(Duration.ofSeconds(10));
            assertThat(((SipResponse) client.next(TransportEvent.MessageReceived.class).message()).statusCode())
                    .isEqualTo(200);
        } finally {
            transport.stop();
            timers.stop();
            shards.shutdownNow();
            assertThat(shards.awaitTermination(Duration.ofSeconds(10))).isTrue();
            assertThat(transport.isTerminated()).isTrue();
        }
    }

    /** The README's "running the layers above on the I/O threads" snippet. */
    @Test
    void theEventLoopExampleWorks() throws Exception {
        EventLoopShards loops = EventLoopShards.create(2);            // the only threads of the stack
        TimerService timers = TimerService.builder(loops).build();
        EventBus bus = EventBus.builder().shards(loops).build();
        SipTransport transport = SipTransport.create(SipTransportConfig.builder(timers).eventLoops(loops)
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0)).build(), bus);
        transport.start();
        java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TransportHarness client = new TransportHarness(c -> c.listen(TransportType.UDP,
                TransportHarness.loopback()))) {
            bus.subscribe(TransportEvent.MessageReceived.class).onShard().handle(e -> {
                threads.add(Thread.currentThread().getName());
                if (e.message() instanceof SipRequest r && r.method().equals(SipMethod.OPTIONS)) {
                    transport.sendResponse(SipResponse.forRequest(r, StatusCode.OK).build(), e.connection());
                }
            });
            int port = transport.listeningPoint(TransportType.UDP).port();
            CompletableFuture<Destination> sent = client.transport.sendRequest(TransportHarness.options(null),
                    Destination.of(TransportType.UDP, new InetSocketAddress("127.0.0.1", port)));
            assertThat(sent).succeedsWithin(Duration.ofSeconds(10));
            assertThat(((SipResponse) client.next(TransportEvent.MessageReceived.class).message()).statusCode())
                    .isEqualTo(200);
            assertThat(threads).hasSize(1).allMatch(n -> n.startsWith("rvoip-sip-loop"));
        } finally {
            transport.stop();
            timers.stop();
            assertThat(loops.shutdown(Duration.ofSeconds(10))).isTrue();
            assertThat(transport.isTerminated()).isTrue();
        }
    }
}
