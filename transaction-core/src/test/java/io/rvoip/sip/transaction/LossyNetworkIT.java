package io.rvoip.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.TransportType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 1,000 INVITE and 1,000 non-INVITE transactions between two stacks over loopback UDP through
 * a shim that drops 20 % of datagrams each way. Strict: every transaction ends with the right
 * final response, or times out and the shim's log proves that every copy of its request, or
 * every copy of its final response, was lost.
 */
class LossyNetworkIT {
    static final TransactionTimers FAST = new TransactionTimers(Duration.ofMillis(50), Duration.ofMillis(400),
            Duration.ofMillis(500), Duration.ofMillis(20));

    @ParameterizedTest(name = "on event loops: {0}")
    @ValueSource(booleans = {false, true})
    void everyTransactionCompletesOrItsMessagesProvablyAllDied(boolean onEventLoops) throws Exception {
        try (LoopbackStack uac = new LoopbackStack(onEventLoops, FAST, Duration.ofMillis(5), TransportType.UDP);
                LoopbackStack uas = new LoopbackStack(onEventLoops, FAST, Duration.ofMillis(5), TransportType.UDP)) {
            uas.bus.subscribe(TransactionEvent.RequestReceived.class).onShard().handle(e -> e.transaction().respond(
                    SipResponse.forRequest(e.request(), e.request().method().equals(SipMethod.INVITE)
                            ? StatusCode.BUSY_HERE : StatusCode.OK, "uas").build()));
            try (LossyShim shim = new LossyShim(new InetSocketAddress("127.0.0.1",
                    uas.transport.listeningPoint(TransportType.UDP).port()), 0.20, 20261126L)) {
                Destination via = Destination.of(TransportType.UDP, shim.front());
                List<SipRequest> requests = new ArrayList<>();
                List<CompletableFuture<SipResponse>> outcomes = new ArrayList<>();
                for (int batch = 0; batch < 20; batch++) {
                    List<CompletableFuture<SipResponse>> wave = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        SipRequest r = Fixture.request(i % 2 == 0 ? SipMethod.INVITE : SipMethod.OPTIONS);
                        requests.add(r);
                        CompletableFuture<SipResponse> f = uac.layer.sendRequest(r, via)
                                .thenCompose(ClientTransaction::finalResponse);
                        outcomes.add(f);
                        wave.add(f);
                    }
                    CompletableFuture.allOf(wave.stream().map(f -> f.handle((v, e) -> null))
                            .toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                }
                int completed = 0;
                int timedOut = 0;
                for (int i = 0; i < requests.size(); i++) {
                    SipRequest r = requests.get(i);
                    CompletableFuture<SipResponse> f = outcomes.get(i);
                    String branch = r.via().branch();
                    if (!f.isCompletedExceptionally()) {
                        int expected = r.method().equals(SipMethod.INVITE) ? 486 : 200;
                        assertThat(f.join().statusCode()).isEqualTo(expected);
                        completed++;
                    } else {
                        assertThat(f.handle((v, e) -> e).join()).hasRootCauseInstanceOf(TransactionTimeoutException.class);
                        boolean requestLost = shim.allDropped(branch, true, w -> w.equals(r.method().name()));
                        boolean finalLost = shim.allDropped(branch, false, w -> Integer.parseInt(w) >= 200);
                        assertThat(requestLost || finalLost).as("timed out although a copy got through: %s", branch)
                                .isTrue();
                        timedOut++;
                    }
                }
                assertThat(completed + timedOut).isEqualTo(2_000);
                assertThat(completed).as("with 20 %% loss nearly all complete").isGreaterThan(1_950);
                long dropped = shim.log.stream().filter(LossyShim.Entry::dropped).count();
                assertThat(dropped).as("the shim really dropped").isGreaterThan(500);
            }
        }
    }
}
