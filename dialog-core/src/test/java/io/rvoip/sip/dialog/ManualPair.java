package io.rvoip.sip.dialog;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.ManualClock;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transaction.MessageSender;
import io.rvoip.sip.transaction.TransactionLayer;
import io.rvoip.sip.transaction.TransactionTimers;
import io.rvoip.sip.transport.ConnectionId;
import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.TransportEvent;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Two complete transaction + dialog stacks wired back to back on one manual clock and one
 * manual shard executor: messages are handed over in memory, so a test controls time and
 * loss exactly.
 */
final class ManualPair {
    final ManualClock clock = new ManualClock();
    final ManualShardedExecutor shards = new ManualShardedExecutor(2, 1 << 22);
    final TimerService timers = TimerService.builder(shards).clock(clock).build();
    final Side a = new Side(new InetSocketAddress("127.0.0.1", 5060));
    final Side b = new Side(new InetSocketAddress("127.0.0.1", 5070));

    /** One stack. */
    final class Side {
        final EventBus bus = EventBus.builder().shards(shards).build();
        final InetSocketAddress self;
        TransactionLayer transactions;
        DialogLayer dialogs;
        Side peer;
        /** Messages this side sends that are lost on the way (tested before they leave). */
        Predicate<SipMessage> drop = m -> false;

        Side(InetSocketAddress self) {
            this.self = self;
        }

        void start(Side peer, UnaryOperator<DialogConfig.Builder> config) {
            this.peer = peer;
            MessageSender sender = new MessageSender() {
                @Override
                public CompletableFuture<Destination> sendRequest(SipRequest request, Destination destination) {
                    if (!drop.test(request)) {
                        peer.bus.publish(new TransportEvent.MessageReceived(request, TransportType.UDP, peer.self, self, null));
                    }
                    return CompletableFuture.completedFuture(destination);
                }

                @Override
                public CompletableFuture<Void> sendResponse(SipResponse response, ConnectionId connection) {
                    if (!drop.test(response)) {
                        peer.bus.publish(new TransportEvent.MessageReceived(response, TransportType.UDP, peer.self, self, null));
                    }
                    return CompletableFuture.completedFuture(null);
                }
            };
            transactions = TransactionLayer.create(bus, shards, timers, sender, TransactionTimers.DEFAULT);
            transactions.start();
            dialogs = DialogLayer.create(transactions, bus, shards, timers, config.apply(
                    DialogConfig.builder(Address.of(Uri.parse("sip:ua@" + self.getHostString() + ":" + self.getPort())))).build());
            dialogs.start();
        }

        /** A SIP URI of this side. */
        String uri(String user) {
            return "sip:" + user + "@127.0.0.1:" + self.getPort();
        }
    }

    /** A loss pattern: only the first message matching {@code p} is lost. */
    static Predicate<SipMessage> dropFirst(Predicate<SipMessage> p) {
        boolean[] dropped = {false};
        return m -> {
            synchronized (dropped) {
                if (!dropped[0] && p.test(m)) {
                    dropped[0] = true;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * Lets the RFC linger timers run out (Timer N, transactions' K/J/L/M: up to 64·T1), then
     * checks both sides hold no dialog, subscription, pending SUBSCRIBE, transaction or timer.
     */
    void assertNothingLeft() {
        advanceSeconds(40);
        for (Side s : java.util.List.of(a, b)) {
            org.assertj.core.api.Assertions.assertThat(s.dialogs.dialogCount()).as("dialogs").isZero();
            org.assertj.core.api.Assertions.assertThat(s.dialogs.subscriptionCount()).as("subscriptions").isZero();
            org.assertj.core.api.Assertions.assertThat(s.dialogs.pendingSubscribeCount()).as("pending SUBSCRIBEs").isZero();
            org.assertj.core.api.Assertions.assertThat(s.transactions.transactionCount()).as("transactions").isZero();
        }
        org.assertj.core.api.Assertions.assertThat(timers.activeCount()).as("timers").isZero();
    }

    ManualPair start(UnaryOperator<DialogConfig.Builder> aConfig, UnaryOperator<DialogConfig.Builder> bConfig) {
        a.start(b, aConfig);
        b.start(a, bConfig);
        return this;
    }

    /** Runs what is due now. */
    void run() {
        shards.runPending();
    }

    /** Advances the clock in 100 ms steps, running what falls due. */
    void advanceSeconds(double seconds) {
        long steps = Math.round(seconds * 10);
        for (long i = 0; i < steps; i++) {
            clock.advanceMillis(100);
            shards.runPending();
        }
    }
}
