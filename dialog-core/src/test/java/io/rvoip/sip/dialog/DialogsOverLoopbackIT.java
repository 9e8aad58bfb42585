package io.rvoip.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 3665 basic call flows between two full stacks over loopback UDP and TCP. */
class DialogsOverLoopbackIT {
    private final DialogStack caller = new DialogStack();
    private final DialogStack callee = new DialogStack();
    private final List<DialogEvent> calleeEvents = new CopyOnWriteArrayList<>();
    private final List<DialogEvent> callerEvents = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        caller.close();
        callee.close();
    }

    /** The callee answers INVITEs with {@code answer} (after 180 Ringing). */
    private void calleeAnswers(StatusCode answer) {
        callee.bus.subscribe(DialogEvent.class).onShard().handle(e -> {
            calleeEvents.add(e);
            if (e instanceof DialogEvent.RequestReceived r && r.request().method().equals(SipMethod.INVITE)
                    && r.dialog() == null && answer != null) {
                callee.dialogs.respond(r.transaction(), SipResponse.forRequest(r.request(), StatusCode.RINGING, "callee").build());
                callee.dialogs.respond(r.transaction(), SipResponse.forRequest(r.request(), answer, "callee").build());
            } else if (e instanceof DialogEvent.RequestReceived r && r.request().method().equals(SipMethod.INVITE)
                    && answer == null) {
                callee.dialogs.respond(r.transaction(), SipResponse.forRequest(r.request(), StatusCode.RINGING, "callee").build());
            }
        });
        caller.bus.subscribe(DialogEvent.class).onShard().handle(callerEvents::add);
    }

    private String target(String transport) {
        return transport.equals("tcp")
                ? "sip:callee@127.0.0.1:" + callee.transport.listeningPoint(io.rvoip.sip.transport.TransportType.TCP).port()
                        + ";transport=tcp"
                : "sip:callee@127.0.0.1:" + callee.udpPort;
    }

    static void await(java.util.function.BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void successfulCallsOverUdpAndTcpWithByeFromEitherSide() throws Exception {
        calleeAnswers(StatusCode.OK);
        for (String t : List.of("udp", "tcp")) {
            // caller hangs up
            OutgoingInvite out = caller.dialogs.invite(caller.invite(target(t)));
            Dialog d = out.dialog().get(20, TimeUnit.SECONDS);
            assertThat(out.finalResponse().get().statusCode()).isEqualTo(200);
            await(() -> calleeEvents.stream().anyMatch(e -> e instanceof DialogEvent.AckReceived a
                    && a.dialog().callId().equals(d.callId())), "the ACK at the callee (" + t + ")");
            assertThat(caller.dialogs.bye(d).get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            await(() -> callee.dialogs.dialogCount() == 0, "the callee's dialog to end");

            // callee hangs up
            OutgoingInvite out2 = caller.dialogs.invite(caller.invite(target(t)));
            Dialog d2 = out2.dialog().get(20, TimeUnit.SECONDS);
            await(() -> callee.dialogs.dialog(new DialogId(d2.callId(), "callee", d2.id().localTag())) != null,
                    "the callee's dialog");
            Dialog calleeSide = callee.dialogs.dialog(new DialogId(d2.callId(), "callee", d2.id().localTag()));
            assertThat(calleeSide.role()).isEqualTo(Dialog.Role.UAS);
            assertThat(callee.dialogs.bye(calleeSide).get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            await(() -> d2.state() == DialogState.TERMINATED, "the caller's dialog to end");
            assertThat(d2.terminationReason()).isEqualTo("BYE received");
        }
        assertThat(caller.dialogs.dialogCount()).isZero();
        assertThat(callee.dialogs.dialogCount()).isZero();
    }

    @Test
    void busyAndCancelBeforeAnswer() throws Exception {
        calleeAnswers(StatusCode.BUSY_HERE);
        OutgoingInvite busy = caller.dialogs.invite(caller.invite(target("udp")));
        assertThat(busy.finalResponse().get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(486);
        assertThat(busy.dialog()).isCompletedExceptionally();
        await(() -> caller.dialogs.dialogCount() == 0 && callee.dialogs.dialogCount() == 0, "no dialogs after 486");
    }

    @Test
    void cancelBeforeAnswerGives487() throws Exception {
        calleeAnswers(null); // rings forever
        OutgoingInvite out = caller.dialogs.invite(caller.invite(target("udp")));
        await(() -> !out.dialogs().isEmpty(), "the early dialog from 180");
        caller.dialogs.cancel(out).get(20, TimeUnit.SECONDS);
        assertThat(out.finalResponse().get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(487);
        await(() -> caller.dialogs.dialogCount() == 0 && callee.dialogs.dialogCount() == 0, "no dialogs after CANCEL");
        await(() -> calleeEvents.stream().anyMatch(e -> e instanceof DialogEvent.Terminated t && t.reason().equals("cancelled")),
                "the callee's early dialog cancelled");
    }

    @Test
    void twoHundredCallsLeaveNoDialogs() throws Exception {
        calleeAnswers(StatusCode.OK);
        List<CompletableFuture<SipResponse>> byes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            OutgoingInvite out = caller.dialogs.invite(caller.invite(target(i % 2 == 0 ? "udp" : "tcp")));
            byes.add(out.dialog().thenCompose(caller.dialogs::bye));
        }
        for (CompletableFuture<SipResponse> b : byes) {
            assertThat(b.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        await(() -> caller.dialogs.dialogCount() == 0 && callee.dialogs.dialogCount() == 0, "all dialogs gone");
    }
}
