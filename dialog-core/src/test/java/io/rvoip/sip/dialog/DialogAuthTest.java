package io.rvoip.sip.dialog;

import static io.rvoip.sip.dialog.DialogFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.dialog.auth.CredentialStore;
import io.rvoip.sip.dialog.auth.CredentialsProvider;
import io.rvoip.sip.dialog.auth.DigestAuthenticator;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.uri.Uri;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A UAC answering Digest challenges (RFC 3261 §22.2) against a server-side authenticator. */
class DialogAuthTest {
    private final DigestAuthenticator server = DigestAuthenticator.builder("example.com",
            CredentialStore.plaintext(Map.of("alice", "secret"))).build();

    private static SipRequest invite() {
        return SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:bob@127.0.0.1:5070"))
                .via(Via.of("UDP", "0.0.0.0", 0, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:alice@example.com")).withTag("a1"))
                .to(Address.of(Uri.parse("sip:bob@example.com"))).callId("auth-1").cseq(1).build();
    }

    /** A dialog layer whose user is alice with {@code password}. */
    private static DialogFixture alice(String password) {
        return new DialogFixture(b -> b.credentials(CredentialsProvider.of("alice", password)));
    }

    /** Alice's INVITE, sent. */
    private static OutgoingInvite call(DialogFixture f) {
        OutgoingInvite out = f.dialogs.invite(invite());
        f.shards.runPending();
        return out;
    }

    private static SipRequest lastSent(DialogFixture f, SipMethod m) {
        List<DialogFixture.Sent> s = f.sent(request(m));
        return (SipRequest) s.get(s.size() - 1).message();
    }

    @Test
    void anInviteIsRetriedWithCredentialsAndSucceeds() {
        DialogFixture f = alice("secret");
        OutgoingInvite out = call(f);
        SipRequest first = lastSent(f, SipMethod.INVITE);
        f.receive(server.challenge(first, false, false));
        SipRequest retry = lastSent(f, SipMethod.INVITE);
        assertThat(retry).isNotSameAs(first);
        assertThat(retry.cseq().seq()).isEqualTo(2);
        assertThat(retry.via().branch()).isNotEqualTo(first.via().branch());
        assertThat(retry.callId()).isEqualTo(first.callId());
        assertThat(retry.from().tag()).isEqualTo("a1");
        assertThat(retry.get(SipHeaders.AUTHORIZATION).algorithm()).isEqualTo("SHA-256");
        assertThat(server.verify(retry, false).ok()).isTrue();
        f.receive(SipResponse.forRequest(retry, StatusCode.OK, "b1").contact(Address.of(Uri.parse("sip:bob@127.0.0.1:5070"))).build());
        assertThat(out.finalResponse()).isCompleted();
        assertThat(out.finalResponse().join().statusCode()).isEqualTo(200);
        Dialog d = out.dialog().join();
        SipRequest ack = lastSent(f, SipMethod.ACK);
        assertThat(ack.cseq().seq()).isEqualTo(2);
        assertThat(d.localSeq()).isEqualTo(2);
    }

    @Test
    void aChallengeThatCannotBeEchoedGoesUpUnanswered() {
        // a realm holding a NUL as a quoted-pair (valid RFC 3261 syntax) cannot be written back in
        // an Authorization header: the INVITE ends with the 401, it does not fail inside the layer
        DialogFixture f = alice("secret");
        OutgoingInvite out = call(f);
        SipRequest first = lastSent(f, SipMethod.INVITE);
        SipResponse hostile = DialogFixture.withRaw(SipResponse.forRequest(first, StatusCode.UNAUTHORIZED, "s1").build(),
                "WWW-Authenticate: Digest realm=\"exa\\\u0000mple.com\", nonce=\"n1\", qop=\"auth\"");
        assertThat(hostile.get(SipHeaders.WWW_AUTHENTICATE).realm()).isEqualTo("exa\u0000mple.com");
        f.receive(hostile);
        assertThat(out.finalResponse()).isCompleted();
        assertThat(out.finalResponse().join().statusCode()).isEqualTo(401);
        assertThat(f.sent(request(SipMethod.INVITE))).hasSize(1);
    }

    @Test
    void wrongCredentialsEndWithTheSecondChallenge() {
        DialogFixture f = alice("wrong");
        OutgoingInvite out = call(f);
        SipResponse challenge = server.challenge(lastSent(f, SipMethod.INVITE), false, false);
        f.receive(challenge);
        SipRequest retry = lastSent(f, SipMethod.INVITE);
        assertThat(server.verify(retry, false).outcome()).isEqualTo(DigestAuthenticator.Outcome.BAD_CREDENTIALS);
        // the server challenges again with the same nonce: no third attempt
        SipResponse.Builder b = SipResponse.forRequest(retry, StatusCode.UNAUTHORIZED);
        challenge.getAll(SipHeaders.WWW_AUTHENTICATE).forEach(h -> b.add(SipHeaders.WWW_AUTHENTICATE, h));
        SipResponse again = b.build();
        f.receive(again);
        assertThat(out.finalResponse()).isCompleted();
        assertThat(out.finalResponse().join().statusCode()).isEqualTo(401);
        assertThat(f.sent(request(SipMethod.INVITE))).hasSize(2);
    }

    @Test
    void aStaleNonceIsRetriedTransparentlyAndOtherRequestsAuthenticateToo() {
        DialogFixture f = new DialogFixture(b -> b.credentials(CredentialsProvider.of("alice", "secret")));
        SipRequest options = SipRequest.builder(SipMethod.OPTIONS, Uri.parse("sip:example.com"))
                .via(Via.of("UDP", "0.0.0.0", 0, SipIds.newBranch())).maxForwards(70)
                .add(SipHeaders.ROUTE, Address.parse("<sip:127.0.0.1:5070;lr>"))
                .from(Address.of(Uri.parse("sip:alice@example.com")).withTag("o1"))
                .to(Address.of(Uri.parse("sip:example.com"))).callId("auth-2").cseq(7).build();
        CompletableFuture<SipResponse> result = f.dialogs.request(options);
        f.shards.runPending();
        assertThat(f.sent(request(SipMethod.OPTIONS)).get(0).to().address().getPort()).isEqualTo(5070);
        f.receive(server.challenge(lastSent(f, SipMethod.OPTIONS), true, false)); // 407 from a proxy
        SipRequest second = lastSent(f, SipMethod.OPTIONS);
        assertThat(second.cseq().seq()).isEqualTo(8);
        assertThat(server.verify(second, true).ok()).isTrue();
        f.receive(server.challenge(second, true, true)); // stale: a new nonce, answered again
        SipRequest third = lastSent(f, SipMethod.OPTIONS);
        assertThat(third.cseq().seq()).isEqualTo(9);
        assertThat(third.getAll(SipHeaders.PROXY_AUTHORIZATION)).hasSize(1);
        f.receive(SipResponse.forRequest(third, StatusCode.OK).build());
        assertThat(result).isCompleted();
        assertThat(result.join().statusCode()).isEqualTo(200);
    }
}
