package io.rvoip.sip.dialog;

import static io.rvoip.sip.dialog.DialogFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transaction.ServerTransaction;
import io.rvoip.sip.uri.Uri;
import java.util.List;
import org.junit.jupiter.api.Test;

/** UPDATE (RFC 3311) in early and confirmed dialogs: target refresh, 491 glare, 500 while an offer is pending. */
class DialogUpdateTest {
    private final DialogFixture f = new DialogFixture();
    private static final byte[] SDP = "v=0\r\n".getBytes();

    private Dialog early(String callId) {
        SipRequest invite = DialogFixture.incomingInvite(callId);
        f.receive(invite);
        ServerTransaction tx = f.events(DialogEvent.RequestReceived.class).get(0).transaction();
        f.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.RINGING, "bobtag").build());
        f.shards.runPending();
        return f.dialogs.dialog(new DialogId(callId, "bobtag", "alicetag"));
    }

    private SipRequest update(String callId, long cseq, String contact, boolean offer) {
        SipRequest.Builder b = DialogFixture.inDialog(SipMethod.UPDATE, callId, "bobtag", cseq).toBuilder()
                .contact(Address.of(Uri.parse(contact)));
        if (offer) {
            b.body(MediaType.APPLICATION_SDP, SDP);
        }
        return b.build();
    }

    private List<DialogEvent.RequestReceived> updates() {
        return f.events(DialogEvent.RequestReceived.class).stream()
                .filter(e -> e.request().method().equals(SipMethod.UPDATE)).toList();
    }

    @Test
    void anUpdateInAnEarlyDialogRefreshesTheTargetWhenAnswered2xx() {
        Dialog d = early("up-1");
        f.receive(update("up-1", 2, "sip:alice@192.0.2.55:6000", true));
        assertThat(updates()).hasSize(1);
        assertThat(updates().get(0).dialog()).isSameAs(d);
        assertThat(d.state()).isEqualTo(DialogState.EARLY);
        // another offer while the first is unanswered: 500 with Retry-After
        f.receive(update("up-1", 3, "sip:alice@192.0.2.55:6000", true));
        assertThat(f.lastResponse().statusCode()).isEqualTo(500);
        assertThat(f.lastResponse().get(SipHeaders.RETRY_AFTER).seconds()).isBetween(0L, 10L);
        DialogEvent.RequestReceived e = updates().get(0);
        f.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK)
                .body(MediaType.APPLICATION_SDP, SDP).build());
        f.shards.runPending();
        SipResponse ok = f.lastResponse();
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.contact()).as("a target refresh's 2xx carries our Contact").isNotNull();
        assertThat(d.remoteTarget().toString()).isEqualTo("sip:alice@192.0.2.55:6000");
        assertThat(f.events(DialogEvent.TargetRefreshed.class)).hasSize(1);
    }

    @Test
    void glareOnUpdateGets491AndOurUpdateIsRetriedAfterTheRandomWait() {
        Dialog d = early("up-2");
        var ours = f.dialogs.send(d, f.dialogs.createRequest(d, SipMethod.UPDATE).body(MediaType.APPLICATION_SDP, SDP).build());
        f.shards.runPending();
        SipRequest sent = (SipRequest) f.sent(request(SipMethod.UPDATE)).get(0).message();
        assertThat(sent.contact()).isNotNull();
        // theirs crosses ours: 491
        f.receive(update("up-2", 2, "sip:alice@127.0.0.1:5070", true));
        assertThat(f.lastResponse().statusCode()).isEqualTo(491);
        // ours is refused too; we are not the Call-ID's owner: retried within 2 s
        f.receive(SipResponse.forRequest(sent, StatusCode.REQUEST_PENDING).build());
        assertThat(ours).isNotDone();
        f.runFor(2001);
        List<io.rvoip.sip.message.SipMessage> sentUpdates = f.sent(request(SipMethod.UPDATE)).stream()
                .map(DialogFixture.Sent::message).toList();
        SipRequest retry = (SipRequest) sentUpdates.get(sentUpdates.size() - 1);
        assertThat(retry.cseq().seq()).isGreaterThan(sent.cseq().seq());
        f.receive(SipResponse.forRequest(retry, StatusCode.OK).contact(Address.of(Uri.parse("sip:alice@192.0.2.9"))).build());
        assertThat(ours).isCompleted();
        assertThat(ours.join().statusCode()).isEqualTo(200);
        assertThat(d.remoteTarget().toString()).isEqualTo("sip:alice@192.0.2.9");
    }
}
