package io.rvoip.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.ManualClock;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.uri.Uri;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One transport under test: its own event bus (events collected in a queue), and timers on a
 * manual clock whose tasks run when {@link #advance(long)} is called.
 */
final class TransportHarness implements AutoCloseable {
    final ManualClock clock = new ManualClock();
    final ManualShardedExecutor shards = new ManualShardedExecutor(2);
    final TimerService timers = TimerService.builder(shards).clock(clock).build();
    final EventBus bus = EventBus.create();
    final List<TransportEvent> events = new ArrayList<>();
    final SipTransport transport;

    TransportHarness(Consumer<SipTransportConfig.Builder> configure) {
        bus.subscribe(TransportEvent.class).handle(e -> {
            synchronized (events) {
                events.add(e);
                events.notifyAll();
            }
        });
        SipTransportConfig.Builder b = SipTransportConfig.builder(timers).ioThreads(2);
        configure.accept(b);
        transport = SipTransport.create(b.build(), bus);
        transport.start();
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    /** Advances the manual clock and runs the timer tasks that became due. */
    void advance(long millis) {
        clock.advanceMillis(millis);
        shards.runPending();
    }

    ListeningPoint point(TransportType t) {
        return transport.listeningPoint(t);
    }

    Destination destination(TransportType t) {
        ListeningPoint p = point(t);
        return new Destination(t, new InetSocketAddress("127.0.0.1", p.port()), "localhost");
    }

    /** Takes the oldest event of {@code type} (others stay queued); fails after 10 s. */
    <E extends TransportEvent> E next(Class<E> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (events) {
            while (true) {
                for (int i = 0; i < events.size(); i++) {
                    if (type.isInstance(events.get(i))) {
                        return type.cast(events.remove(i));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + type.getSimpleName() + " within 10 s; saw " + events);
                }
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }

    /** Asserts no event of {@code type} has arrived (and not been taken). */
    void assertNone(Class<? extends TransportEvent> type) {
        synchronized (events) {
            assertThat(events).noneMatch(type::isInstance);
        }
    }

    /** Asserts that {@code f} completes exceptionally within 10 s (a timeout is a test failure). */
    static Throwable assertFails(java.util.concurrent.Future<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the future did not complete within 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        throw new AssertionError("the future succeeded");
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (as SIP servers use 5060 for both). */
    static int freePortForBoth() throws java.io.IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (java.net.ServerSocket tcp = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                    java.net.DatagramSocket udp = new java.net.DatagramSocket(
                            new InetSocketAddress("127.0.0.1", tcp.getLocalPort()))) {
                return tcp.getLocalPort();
            } catch (java.net.BindException e) {
                // UDP port taken: try another
            }
        }
        throw new IllegalStateException("no port free for both UDP and TCP");
    }

    static SipRequest options(String body) {
        SipRequest.Builder b = SipRequest.builder(SipMethod.OPTIONS, Uri.parse("sip:bob@127.0.0.1"))
                .via(Via.of("UDP", "placeholder.invalid", -1, SipIds.newBranch()).withParam("rport", null))
                .maxForwards(70)
                .from(Address.of(Uri.parse("sip:alice@example.com")).withTag(SipIds.newTag()))
                .to(Address.of(Uri.parse("sip:bob@example.com")))
                .callId(SipIds.newCallId())
                .cseq(1);
        if (body != null) {
            b.body(io.rvoip.sip.header.MediaType.TEXT_PLAIN, body.getBytes());
        }
        return b.build();
    }

    @Override
    public void close() {
        transport.stop();
        timers.stop();
        assertThat(transport.isTerminated()).isTrue();
    }
}
