package io.rvoip.bench.dialog;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.dialog.DialogConfig;
import io.rvoip.sip.dialog.DialogEvent;
import io.rvoip.sip.dialog.DialogLayer;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transaction.MessageSender;
import io.rvoip.sip.transaction.TransactionLayer;
import io.rvoip.sip.transaction.TransactionTimers;
import io.rvoip.sip.transport.SipTransport;
import io.rvoip.sip.transport.SipTransportConfig;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The signalling half of a call, for the concurrent-calls and call-rate scripts: transport,
 * transaction and dialog layers on UDP, answering every INVITE with 180 and 200. The SDP
 * answer rejects the offered audio stream (port 0, RFC 3264 §6), so no RTP resources exist:
 * what the heap holds per call is the signalling stack's (dialog, and for 32 s after the
 * answer the INVITE server transaction of RFC 6026). Not a product; session-core's
 * {@code rvoip uas} is the server with media.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.rvoip.bench.dialog.SignallingUas PORT}
 * prints {@code listening} and then, every second, the live dialog and transaction counts.
 */
public final class SignallingUas {
    private static final byte[] ANSWER = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 0 RTP/AVP 0\r\n").getBytes(StandardCharsets.US_ASCII);

    private SignallingUas() {
    }

    /** Runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 5070;
        ShardPool shards = ShardPool.builder().shards(2).build();
        TimerService timers = TimerService.builder(shards).build();
        EventBus bus = EventBus.builder().shards(shards).build();
        SipTransport transport = SipTransport.create(SipTransportConfig.builder(timers)
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", port)).build(), bus);
        transport.start();
        TransactionLayer transactions = TransactionLayer.create(bus, shards, timers, MessageSender.of(transport),
                TransactionTimers.DEFAULT);
        transactions.start();
        DialogLayer dialogs = DialogLayer.create(transactions, bus, shards, timers,
                DialogConfig.builder(Address.of(Uri.parse("sip:uas@127.0.0.1:" + port))).build());
        dialogs.start();
        bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
            if (e.request().method().equals(SipMethod.INVITE) && e.dialog() == null) {
                dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.RINGING, "uas").build());
                dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK, "uas")
                        .body(MediaType.APPLICATION_SDP, ANSWER).build());
            }
        });
        System.out.println("listening on udp:127.0.0.1:" + port);
        for (;;) {
            Thread.sleep(1000);
            System.out.println("dialogs=" + dialogs.dialogCount() + " transactions=" + transactions.transactionCount());
        }
    }
}
