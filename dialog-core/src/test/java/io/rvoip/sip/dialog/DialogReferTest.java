package io.rvoip.sip.dialog;

import static io.rvoip.sip.dialog.DialogFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transaction.ServerTransaction;
import io.rvoip.sip.uri.Uri;
import java.util.List;
import org.junit.jupiter.api.Test;

/** REFER (RFC 3515, RFC 4488) and Replaces (RFC 3891) on the manual clock. */
class DialogReferTest {
    private final DialogFixture f = new DialogFixture();

    private Dialog confirmedUas(String callId) {
        return f.confirmedUas(callId);
    }

    @Test
    void aReceivedReferIsAccepted202AndProgressIsNotifiedToTheFinalStatus() {
        Dialog d = confirmedUas("ref-1");
        f.receive(DialogFixture.inDialog(SipMethod.REFER, "ref-1", "bobtag", 2).toBuilder()
                .set(SipHeaders.REFER_TO, Address.parse("<sip:carol@example.com>"))
                .set(SipHeaders.REFERRED_BY, Address.parse("<sip:alice@example.com>")).build());
        assertThat(f.sent(DialogFixture.response(202))).hasSize(1);
        DialogEvent.ReferReceived e = f.events(DialogEvent.ReferReceived.class).get(0);
        assertThat(e.referTo().uri().toString()).isEqualTo("sip:carol@example.com");
        assertThat(e.dialog()).isSameAs(d);
        List<DialogFixture.Sent> notifies = f.sent(request(SipMethod.NOTIFY));
        assertThat(notifies).hasSize(1);
        SipRequest first = (SipRequest) notifies.get(0).message();
        assertThat(first.header("Event")).isEqualTo("refer;id=2");
        assertThat(first.header("Subscription-State")).startsWith("active");
        assertThat(first.bodyText()).isEqualTo("SIP/2.0 100 Trying\r\n");
        assertThat(first.contentType().subtype()).isEqualTo("sipfrag");
        e.subscription().notify(200, "OK");
        f.shards.runPending();
        SipRequest last = (SipRequest) f.sent(request(SipMethod.NOTIFY)).get(1).message();
        assertThat(last.header("Subscription-State")).startsWith("terminated");
        assertThat(last.bodyText()).isEqualTo("SIP/2.0 200 OK\r\n");
        e.subscription().notify(200, "OK");
        f.shards.runPending();
        assertThat(f.sent(request(SipMethod.NOTIFY))).as("nothing after the final NOTIFY").hasSize(2);
    }

    @Test
    void referSubFalseMeansNoNotifiesAndAReferWithoutReferToIs400() {
        confirmedUas("ref-2");
        f.receive(DialogFixture.inDialog(SipMethod.REFER, "ref-2", "bobtag", 2).toBuilder()
                .set(SipHeaders.REFER_TO, Address.parse("<sip:carol@example.com>")).set("Refer-Sub", "false").build());
        assertThat(f.lastResponse().statusCode()).isEqualTo(202);
        assertThat(f.lastResponse().header("Refer-Sub")).isEqualTo("false");
        assertThat(f.sent(request(SipMethod.NOTIFY))).isEmpty();
        f.receive(DialogFixture.inDialog(SipMethod.REFER, "ref-2", "bobtag", 3));
        assertThat(f.lastResponse().statusCode()).isEqualTo(400);
    }

    @Test
    void progressNotifiesAboutOurReferAreReported() {
        Dialog d = confirmedUas("ref-3");
        var result = f.dialogs.refer(d, Address.parse("<sip:carol@example.com>"), null, true);
        f.shards.runPending();
        SipRequest refer = (SipRequest) f.sent(request(SipMethod.REFER)).get(0).message();
        assertThat(refer.get(SipHeaders.REFER_TO).uri().toString()).isEqualTo("sip:carol@example.com");
        f.receive(SipResponse.forRequest(refer, StatusCode.ACCEPTED).build());
        assertThat(result.join().statusCode()).isEqualTo(202);
        for (String[] n : new String[][] {{"SIP/2.0 100 Trying\r\n", "active;expires=60"},
                {"SIP/2.0 180 Ringing\r\n", "active;expires=60"}, {"SIP/2.0 200 OK\r\n", "terminated;reason=noresource"}}) {
            f.receive(DialogFixture.inDialog(SipMethod.NOTIFY, "ref-3", "bobtag", 10 + f.events(DialogEvent.ReferProgress.class).size())
                    .toBuilder().set("Event", "refer").set("Subscription-State", n[1])
                    .body(io.rvoip.sip.header.MediaType.MESSAGE_SIPFRAG, n[0].getBytes()).build());
            assertThat(f.lastResponse().statusCode()).isEqualTo(200);
        }
        List<DialogEvent.ReferProgress> p = f.events(DialogEvent.ReferProgress.class);
        assertThat(p).extracting(DialogEvent.ReferProgress::status).containsExactly(100, 180, 200);
        assertThat(p.get(2).terminated()).isTrue();
        assertThat(p.get(1).reason()).isEqualTo("Ringing");
    }

    @Test
    void replacesMatchesEndsTheReplacedDialogAndRefusesWhatItMust() {
        Dialog old = confirmedUas("rep-1");
        // no such dialog: 481
        f.receive(DialogFixture.incomingInvite("rep-2").toBuilder()
                .set(SipHeaders.REPLACES, io.rvoip.sip.header.Replaces.of("nope", "bobtag", "alicetag")).build());
        assertThat(f.lastResponse().statusCode()).isEqualTo(481);
        // early-only against a confirmed dialog: 486
        f.receive(DialogFixture.incomingInvite("rep-3").toBuilder()
                .set(SipHeaders.REPLACES.name().name(), "rep-1;to-tag=bobtag;from-tag=alicetag;early-only").build());
        assertThat(f.lastResponse().statusCode()).isEqualTo(486);
        // a match: passed up; our 2xx ends the old dialog with BYE
        SipRequest replacing = DialogFixture.incomingInvite("rep-4").toBuilder()
                .set(SipHeaders.REPLACES, io.rvoip.sip.header.Replaces.of("rep-1", "bobtag", "alicetag")).build();
        f.receive(replacing);
        assertThat(f.dialogs.replacedDialog(replacing)).isSameAs(old);
        List<DialogEvent.RequestReceived> got = f.events(DialogEvent.RequestReceived.class);
        ServerTransaction tx = got.get(got.size() - 1).transaction();
        assertThat(got.get(got.size() - 1).request().callId()).isEqualTo("rep-4");
        f.dialogs.respond(tx, SipResponse.forRequest(replacing, StatusCode.OK, "newtag").build());
        f.shards.runPending();
        assertThat(old.state()).isEqualTo(DialogState.TERMINATED);
        assertThat(old.terminationReason()).isEqualTo("replaced");
        SipRequest bye = (SipRequest) f.sent(request(SipMethod.BYE)).get(0).message();
        assertThat(bye.callId()).isEqualTo("rep-1");
        // an early dialog we did not initiate cannot be replaced: 481
        SipRequest invite = DialogFixture.incomingInvite("rep-5");
        f.receive(invite);
        got = f.events(DialogEvent.RequestReceived.class);
        f.dialogs.respond(got.get(got.size() - 1).transaction(), SipResponse.forRequest(invite, StatusCode.RINGING, "bobtag").build());
        f.shards.runPending();
        f.receive(DialogFixture.incomingInvite("rep-6").toBuilder()
                .set(SipHeaders.REPLACES, io.rvoip.sip.header.Replaces.of("rep-5", "bobtag", "alicetag")).build());
        assertThat(f.lastResponse().statusCode()).isEqualTo(481);
    }
}
