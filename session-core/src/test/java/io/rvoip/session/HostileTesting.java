package io.rvoip.session;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.parser.SipParser;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketAddress;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What the hostile-peer tests share: a raw SIP socket's read loop, a failure log, a released check. */
final class HostileTesting {
    private HostileTesting() {
    }

    /** What a raw SIP peer does with each message it reads. */
    interface OnMessage {
        void accept(SipMessage m, SocketAddress from) throws java.io.IOException;
    }

    /**
     * Reads {@code socket} until it closes (it needs a read timeout), handing each message on;
     * anything that does not parse fails the test, since the stack under test sent it.
     */
    static void readMessages(DatagramSocket socket, OnMessage onMessage) {
        SipParser parser = SipParser.defaults();
        byte[] buf = new byte[65536];
        while (!socket.isClosed()) {
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(d);
            } catch (java.net.SocketTimeoutException idle) {
                continue;
            } catch (java.io.IOException closed) {
                return;
            }
            SipMessage m;
            try {
                m = parser.parseDatagram(java.util.Arrays.copyOf(buf, d.getLength()));
            } catch (RuntimeException e) {
                throw new AssertionError("the stack sent what does not parse", e);
            }
            try {
                onMessage.accept(m, d.getSocketAddress());
            } catch (java.io.IOException closed) {
                return;
            }
        }
    }

    /** True once every coordinator holds no dialog, transaction, RTP port, call or timer. */
    /**
     * Advances the manual clock a second at a time (the media clock with it) until {@code done},
     * for at most 60 s of real time. A step count would not do: on a loaded machine the shards
     * fall behind the clock, and a chain of timers (media timeout, then the BYE's Timer F) may
     * still be running when the steps run out.
     */
    static void stepUntil(io.rvoip.infra.time.ManualClock clock, io.rvoip.media.session.MediaClock media,
                          java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            clock.advanceMillis(1000);
            media.runDue(clock.nanoTime());
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }

    static boolean released(SessionCoordinator... cs) {
        for (SessionCoordinator c : cs) {
            for (int n : c.resourceCounts()) {
                if (n != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Captures every WARN or ERROR logged with an exception while open. */
    static final class FailureLog implements AutoCloseable {
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        FailureLog() {
            appender.start();
            root.addAppender(appender);
        }

        /** "logger: message / exception: its message" for each captured failure. */
        List<String> failures() {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null)
                    .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage() + " / " + e.getThrowableProxy().getClassName()
                            + ": " + e.getThrowableProxy().getMessage())
                    .toList();
        }

        @Override
        public void close() {
            root.detachAppender(appender);
        }
    }
}
