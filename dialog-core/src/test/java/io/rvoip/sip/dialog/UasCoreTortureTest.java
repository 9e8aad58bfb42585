package io.rvoip.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.testing.SharedFiles;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RFC 4475 "element" cases that are a UAS core's to answer (shared/testdata/rfc4475/INDEX.md). */
class UasCoreTortureTest {
    private final DialogFixture f = new DialogFixture();

    private SipMessage load(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(SharedFiles.rfc4475().resolve(name + ".dat"));
        return SipParser.defaults().parseDatagram(bytes);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "intmeth, 501",   // unknown method: 501 with Allow
        "esc02, 501",     // RE%47IST%45R is not REGISTER
        "unkscm, 416",    // Request-URI scheme unknown
        "novelsc, 416",   // soap.beep: known to someone, not to us
        "bext01, 420",    // Require with unknown options: 420 with Unsupported (Proxy-Require is for proxies)
        "invut, 415",     // unknown body type on INVITE: 415 with Accept
        "sdp01, 406",     // INVITE accepting only text/nobodyKnowsThis
    })
    void refusedWithTheListedStatus(String file, int status) throws Exception {
        f.receive(load(file));
        SipResponse r = f.lastResponse();
        assertThat(r).as("an answer to %s", file).isNotNull();
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(f.events(DialogEvent.RequestReceived.class)).as("nothing reaches the application").isEmpty();
        switch (status) {
            case 501 -> assertThat(r.getAll(SipHeaders.ALLOW)).contains("INVITE", "BYE", "OPTIONS");
            case 420 -> assertThat(r.getAll(SipHeaders.UNSUPPORTED))
                    .containsExactly("nothingSupportsThis", "nothingSupportsThisEither");
            case 415 -> assertThat(r.getAll(SipHeaders.ACCEPT)).extracting(t -> t.type() + "/" + t.subtype())
                    .containsExactly("application/sdp");
            default -> {
            }
        }
        assertThat(f.dialogs.dialogCount()).isZero();
    }

    @Test
    void zeroMaxForwardsIsAnsweredByAUas() throws Exception {
        // zeromf: OPTIONS with Max-Forwards 0 — a proxy says 483, a UAS answers it
        f.receive(load("zeromf"));
        assertThat(f.events(DialogEvent.RequestReceived.class)).hasSize(1);
        DialogEvent.RequestReceived e = f.events(DialogEvent.RequestReceived.class).get(0);
        f.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK).build());
        f.shards.runPending();
        assertThat(f.lastResponse().statusCode()).isEqualTo(200);
    }

    @Test
    void unknownSchemesInToFromContactAreFine() throws Exception {
        // unksm2: a REGISTER whose To/From/Contact use unknown schemes — well-formed; with REGISTER
        // allowed (a registrar) it is passed up, its URIs kept opaque
        DialogFixture registrar = new DialogFixture();
        registrar.dialogs.stop();
        DialogLayer layer = DialogLayer.create(registrar.transactions, registrar.bus, registrar.shards, registrar.timers,
                DialogConfig.builder(registrar.dialogs.config().contact())
                        .allowedMethods("REGISTER", "OPTIONS", "ACK", "CANCEL").build());
        layer.start();
        SipMessage m = load("unksm2");
        registrar.receive(m);
        assertThat(registrar.events(DialogEvent.RequestReceived.class)).hasSize(1);
        SipRequest r = registrar.events(DialogEvent.RequestReceived.class).get(0).request();
        assertThat(r.to().uri().scheme()).isEqualTo("isbn");
        assertThat(r.from().uri().scheme()).isEqualTo("http");
        // and a UA without a registrar answers the same REGISTER 405 with Allow
        f.receive(m);
        assertThat(f.lastResponse().statusCode()).isEqualTo(405);
    }

    @Test
    void aMethodWeKnowButDoNotTakeGets405WithAllow() throws Exception {
        // unksm2 is a REGISTER: a UA without a registrar answers 405 — shown with a UA that takes
        // INVITE only
        DialogFixture only = new DialogFixture();
        only.dialogs.stop();
        DialogLayer inviteOnly = DialogLayer.create(only.transactions, only.bus, only.shards, only.timers,
                DialogConfig.builder(only.dialogs.config().contact()).allowedMethods("INVITE", "ACK", "BYE", "CANCEL")
                        .build());
        inviteOnly.start();
        only.receive(load("unksm2"));
        assertThat(only.lastResponse().statusCode()).isEqualTo(405);
        assertThat(only.lastResponse().getAll(SipHeaders.ALLOW)).containsExactly("INVITE", "ACK", "BYE", "CANCEL");
    }

    @Test
    void aRegisterWithAnUnknownAuthorizationSchemeIsChallenged() throws Exception {
        // regaut01: Authorization: NoOneKnowsThisScheme ... — a registrar ignores it and challenges
        io.rvoip.sip.dialog.registration.Registrar registrar = io.rvoip.sip.dialog.registration.Registrar.builder()
                .authenticator(io.rvoip.sip.dialog.auth.DigestAuthenticator.builder("example.com",
                        io.rvoip.sip.dialog.auth.CredentialStore.plaintext(java.util.Map.of("j.user", "x"))).build())
                .build();
        SipResponse r = registrar.handle((SipRequest) load("regaut01"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.get(SipHeaders.WWW_AUTHENTICATE).isDigest()).isTrue();
    }

    @Test
    void infoForAnUnknownInfoPackageGets469AndLegacyInfoPassesUp() {
        DialogFixture d = new DialogFixture(b -> b.infoPackages("dtmf"));
        SipRequest invite = DialogFixture.incomingInvite("info-1");
        d.receive(invite);
        var tx = d.events(DialogEvent.RequestReceived.class).get(0).transaction();
        d.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.OK, "bobtag").build());
        d.shards.runPending();
        d.receive(DialogFixture.inDialog(io.rvoip.sip.message.SipMethod.INFO, "info-1", "bobtag", 2).toBuilder()
                .set("Info-Package", "foo").build());
        assertThat(d.lastResponse().statusCode()).isEqualTo(469);
        assertThat(d.lastResponse().header("Recv-Info")).isEqualTo("dtmf");
        d.receive(DialogFixture.inDialog(io.rvoip.sip.message.SipMethod.INFO, "info-1", "bobtag", 3).toBuilder()
                .set("Info-Package", "dtmf").build());
        d.receive(DialogFixture.inDialog(io.rvoip.sip.message.SipMethod.INFO, "info-1", "bobtag", 4));
        assertThat(d.events(DialogEvent.RequestReceived.class)).hasSize(3); // INVITE, dtmf INFO, legacy INFO
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "Accept: application/ | 400",
        "Require: 100rel,,timer | 400",
        "Record-Route: <sip:127.0.0.1:5080;lr | 400",
        "Contact: <sip:alice@127.0.0.1:5070 | 400",
        "Replaces: ;to-tag=1 | 400",
        // headers the UAS core does not read: the application answers
        "Supported: timer;x | 200",
        "Allow: INVITE,,BYE | 200",
    })
    void anInviteWithAHeaderTheUasCannotReadGets400(String header, int status) {
        // the transaction-depth parse types only the transaction's headers; what the UAS core
        // reads on its way (RFC 3261 §8.2, §12.1.1, RFC 3891) and cannot parse gets a 400 that
        // names the fault, before the application sees the request: never no answer at all, and
        // never an answer the application cannot send
        f.receive(DialogFixture.withRaw(DialogFixture.incomingInvite("call-bad"), header));
        SipResponse r = f.lastResponse();
        if (status == 400) {
            assertThat(r).as("an answer").isNotNull();
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.reasonPhrase()).startsWith("Bad Request (");
            assertThat(f.events(DialogEvent.RequestReceived.class)).as("nothing reaches the application").isEmpty();
        } else {
            assertThat(r).isNull();
            DialogEvent.RequestReceived e = f.events(DialogEvent.RequestReceived.class).get(0);
            f.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK, "t1").build());
            f.shards.runPending();
            assertThat(f.lastResponse().statusCode()).isEqualTo(status);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Supported: timer;x",
        "Session-Expires: soon",
        "Min-SE: x",
        "Allow: INVITE,,BYE",
    })
    void headersTheUasOnlyConsultsDoNotStopItsAnswers(String header) {
        // with reliable provisionals and session timers on, the UAS consults Supported,
        // Session-Expires, Min-SE and Allow while it answers; unreadable, each counts as absent
        DialogFixture timers = new DialogFixture(b -> b.supported("100rel", "timer")
                .sessionTimers(java.time.Duration.ofSeconds(1800), java.time.Duration.ofSeconds(90)));
        timers.receive(DialogFixture.withRaw(DialogFixture.incomingInvite("call-odd"), header));
        assertThat(timers.lastResponse()).isNull();
        DialogEvent.RequestReceived e = timers.events(DialogEvent.RequestReceived.class).get(0);
        timers.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.RINGING, "t1").build());
        timers.shards.runPending();
        assertThat(timers.lastResponse().statusCode()).isEqualTo(180);
        timers.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK, "t1").build());
        timers.shards.runPending();
        assertThat(timers.lastResponse().statusCode()).isEqualTo(200);
        assertThat(timers.dialogs.dialogCount()).isEqualTo(1);
    }

    @Test
    void aBodyWhoseContentTypeCannotBeReadGets400() {
        // a body is read by its type (RFC 3261 §8.2.3): a MESSAGE whose Content-Type does not
        // parse got to the application, whose read of it failed, and went unanswered
        SipRequest message = io.rvoip.sip.message.SipRequest.builder(io.rvoip.sip.message.SipMethod.MESSAGE,
                        io.rvoip.sip.uri.Uri.parse("sip:me@127.0.0.1:5060"))
                .via(io.rvoip.sip.header.Via.of("UDP", "127.0.0.1", 5070, io.rvoip.sip.message.SipIds.newBranch()))
                .maxForwards(70).from(io.rvoip.sip.header.Address.parse("<sip:alice@example.com>;tag=m1"))
                .to(io.rvoip.sip.header.Address.parse("<sip:me@example.com>")).callId("msg-1").cseq(1)
                .body(io.rvoip.sip.header.MediaType.of("text", "plain"), "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .build();
        f.receive(DialogFixture.withRaw(message, "Content-Type: text"));
        assertThat(f.lastResponse().statusCode()).isEqualTo(400);
        assertThat(f.events(DialogEvent.RequestReceived.class)).isEmpty();
    }
}
