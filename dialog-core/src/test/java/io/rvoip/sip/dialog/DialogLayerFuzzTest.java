package io.rvoip.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.event.SubscriptionMetrics;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.SessionExpires;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.testing.Corpus;
import io.rvoip.sip.uri.Uri;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutated requests and responses into a running dialog layer (with reliable provisionals,
 * session timers and an application that answers what reaches it), as a hostile peer would
 * send them: no handler of the layer may fail on any of them, and no answer the application
 * gives may fail. A failed handler is a request left unanswered or a call left unsettled. Once
 * our own calls are hung up and the timers have run, nothing may be left.
 * {@code -Drvoip.fuzz.seed} and {@code -Drvoip.fuzz.iterations} as for sip-core's fuzz test.
 */
class DialogLayerFuzzTest {
    private static final int BATCH = 100;
    /** Stands in the seeds' Call-IDs and branches for each input's own number: new calls, not retransmissions. */
    private static final String UNIQUE = "UNIQ";
    /** Dialogs the application made, then sent an INFO and a BYE in: the in-dialog paths ran. */
    private int dialogsUsed;

    private static DialogFixture fixture() {
        return new DialogFixture(b -> b.supported("100rel", "timer", "replaces")
                .sessionTimers(Duration.ofSeconds(1800), Duration.ofSeconds(90))
                .eventPackages(new MessageSummaryPackage()));
    }

    /** Requests to us, each with what the layer reads: Contact, Record-Route, options, timers, a body. */
    private static List<byte[]> requestSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (SipMethod m : List.of(SipMethod.INVITE, SipMethod.UPDATE, SipMethod.OPTIONS, SipMethod.BYE,
                SipMethod.INFO, SipMethod.MESSAGE, SipMethod.SUBSCRIBE, SipMethod.NOTIFY, SipMethod.REFER,
                SipMethod.PRACK, SipMethod.CANCEL, SipMethod.ACK)) {
            SipRequest.Builder b = SipRequest.builder(m, Uri.parse("sip:me@127.0.0.1:5060"))
                    .via(Via.of("UDP", "127.0.0.1", 5070, "z9hG4bK" + UNIQUE)).maxForwards(70)
                    .from(Address.parse("\"Alice\" <sip:alice@example.com>;tag=alicetag"))
                    .to(Address.parse(List.of("INVITE", "OPTIONS", "SUBSCRIBE", "REFER", "MESSAGE").contains(m.name())
                            ? "<sip:me@example.com>" : "<sip:me@example.com>;tag=bobtag")) // out of or in a dialog
                    .callId("fuzz-" + m.name() + "-" + UNIQUE).cseq(2)
                    .contact(Address.parse("<sip:alice@127.0.0.1:5070;transport=udp>"))
                    .add(SipHeaders.RECORD_ROUTE, Address.parse("<sip:127.0.0.1:5080;lr>"))
                    .add(SipHeaders.SUPPORTED, "100rel").add(SipHeaders.SUPPORTED, "timer")
                    .add(SipHeaders.ALLOW, "INVITE").add(SipHeaders.ALLOW, "UPDATE")
                    .set(SipHeaders.SESSION_EXPIRES, SessionExpires.of(1800, "uac"))
                    .set(SipHeaders.ACCEPT, MediaType.APPLICATION_SDP);
            switch (m.name()) {
                case "SUBSCRIBE", "NOTIFY" -> b.set("Event", "message-summary").set("Subscription-State", "active;expires=60")
                        .set("Expires", "600");
                case "REFER" -> b.set("Refer-To", "<sip:carol@127.0.0.1:5090>").set("Referred-By", "<sip:alice@example.com>");
                case "PRACK" -> b.set("RAck", "1 1 INVITE");
                default -> {
                }
            }
            if (m.equals(SipMethod.INVITE) || m.equals(SipMethod.UPDATE)) {
                b.body(MediaType.APPLICATION_SDP, ("v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                        + "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            seeds.add(b.build().toByteArray());
            if (m.equals(SipMethod.INVITE)) { // the one that makes dialogs: more of them
                seeds.add(b.build().toByteArray());
            }
        }
        return seeds;
    }

    /** Responses to {@code invite}, each with what the layer reads from them. */
    private static List<byte[]> responseSeeds(SipRequest invite) {
        List<byte[]> seeds = new ArrayList<>();
        for (StatusCode code : List.of(StatusCode.RINGING, StatusCode.SESSION_PROGRESS, StatusCode.OK,
                StatusCode.UNAUTHORIZED, StatusCode.SESSION_INTERVAL_TOO_SMALL, StatusCode.BUSY_HERE)) {
            SipResponse.Builder b = SipResponse.forRequest(invite, code, "t" + code.code())
                    .contact(Address.parse("<sip:bob@127.0.0.1:5071>"))
                    .add(SipHeaders.RECORD_ROUTE, Address.parse("<sip:127.0.0.1:5080;lr>"))
                    .add(SipHeaders.ALLOW, "INVITE").add(SipHeaders.ALLOW, "UPDATE")
                    .add(SipHeaders.SUPPORTED, "timer");
            switch (code.code()) {
                case 183 -> b.set("Require", "100rel").set("RSeq", "1");
                case 200 -> b.set("Session-Expires", "1800;refresher=uac").set("Require", "timer");
                case 401 -> b.set("WWW-Authenticate", "Digest realm=\"example.com\", nonce=\"n1\", qop=\"auth\"");
                case 422 -> b.set("Min-SE", "3600");
                default -> {
                }
            }
            seeds.add(b.build().toByteArray());
        }
        return seeds;
    }

    @Test
    void mutatedMessagesNeverFailTheLayer() {
        long seed = Long.getLong("rvoip.fuzz.seed", 0xD1A1_06L);
        int iterations = Integer.getInteger("rvoip.fuzz.iterations", 20_000);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> requests = requestSeeds();
        List<byte[]> corpus = Corpus.seeds(); // real phones' messages and RFC 4475's, a quarter of the requests
        int delivered = 0;
        for (int start = 0; start < iterations; start += BATCH) {
            DialogFixture f = fixture();
            // our own calls out, whose responses the peer mutates
            List<OutgoingInvite> calls = new ArrayList<>();
            List<byte[]> responses = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                calls.add(f.dialogs.invite(SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:bob@127.0.0.1:5070"))
                        .via(Via.of("UDP", "0.0.0.0", 0, SipIds.newBranch())).maxForwards(70)
                        .from(Address.of(Uri.parse("sip:me@example.com")).withTag("me" + c))
                        .to(Address.of(Uri.parse("sip:bob@example.com"))).callId("out-" + start + "-" + c).cseq(1)
                        .build()));
                f.shards.runPending();
                SipRequest sent = (SipRequest) f.sent(DialogFixture.request(SipMethod.INVITE)).get(c).message();
                responses.addAll(responseSeeds(sent));
            }
            for (int i = start; i < Math.min(iterations, start + BATCH); i++) {
                boolean response = (i & 1) == 1;
                byte[] input = Corpus.mutate(response ? responses : rnd.nextInt(4) == 0 ? corpus : requests, rnd);
                if (!response) {
                    input = new String(input, StandardCharsets.ISO_8859_1).replace(UNIQUE, Integer.toString(i))
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
                if (feed(f, input, seed, i) >= 0) {
                    delivered++;
                }
            }
            // our calls out are hung up (CANCEL, or BYE for an answered one), then every timer runs
            for (OutgoingInvite call : calls) {
                f.dialogs.cancel(call);
                call.dialog().thenAccept(f.dialogs::bye);
            }
            assertNothingLeftAfterTheTimers(f, seed, start);
        }
        assertThat(delivered).as("mutations must not all be fatal").isGreaterThan(iterations / 10);
        assertThat(dialogsUsed).as("INVITEs that made dialogs the application used").isGreaterThan(iterations / 200);
    }

    @Test
    void mutatedNotifiesAndAnswersNeverFailASubscriberOrAReferrer() {
        // the other side of events (RFC 6665, RFC 3515): our SUBSCRIBE and our REFER, whose
        // answers and NOTIFYs (message-summary bodies, sipfrag bodies, every Subscription-State)
        // the peer mutates; then we unsubscribe, hang up, and the timers run out
        long seed = Long.getLong("rvoip.fuzz.seed", 0xD1A1_06L);
        int iterations = Integer.getInteger("rvoip.fuzz.iterations", 20_000);
        SplittableRandom rnd = new SplittableRandom(seed);
        int delivered = 0;
        int progress = 0;
        for (int start = 0; start < iterations; start += BATCH) {
            DialogFixture f = fixture();
            OutgoingSubscription sub = f.dialogs.subscribe(SipRequest.builder(SipMethod.SUBSCRIBE,
                            Uri.parse("sip:mailbox@127.0.0.1:5070"))
                    .via(Via.of("UDP", "0.0.0.0", 0, SipIds.newBranch())).maxForwards(70)
                    .from(Address.of(Uri.parse("sip:me@example.com")).withTag("sub" + start))
                    .to(Address.of(Uri.parse("sip:mailbox@example.com"))).callId("sub-" + start).cseq(1)
                    .set("Event", "message-summary").set(SipHeaders.EXPIRES, 600L).build());
            f.shards.runPending();
            SipRequest subscribe = (SipRequest) f.sent(DialogFixture.request(SipMethod.SUBSCRIBE)).get(0).message();
            Dialog call = f.confirmedUas("refer-" + start);
            f.dialogs.refer(call, Address.parse("<sip:carol@127.0.0.1:5090>"), null, true);
            f.shards.runPending();
            SipRequest refer = (SipRequest) f.sent(DialogFixture.request(SipMethod.REFER)).get(0).message();
            List<byte[]> answers = new ArrayList<>();
            for (StatusCode code : List.of(StatusCode.OK, StatusCode.ACCEPTED, StatusCode.valueOf(489),
                    StatusCode.valueOf(423), StatusCode.UNAUTHORIZED)) {
                answers.add(SipResponse.forRequest(subscribe, code, "n1").contact(Address.parse("<sip:mailbox@127.0.0.1:5070>"))
                        .set(SipHeaders.EXPIRES, 600L).set("Min-Expires", "1200")
                        .set("WWW-Authenticate", "Digest realm=\"example.com\", nonce=\"n\", qop=\"auth\"").build().toByteArray());
            }
            for (StatusCode code : List.of(StatusCode.ACCEPTED, StatusCode.OK, StatusCode.FORBIDDEN)) {
                answers.add(SipResponse.forRequest(refer, code).build().toByteArray());
            }
            List<byte[]> notifies = new ArrayList<>();
            for (String state : List.of("active;expires=600", "pending;expires=60", "terminated;reason=probation;retry-after=5",
                    "terminated;reason=noresource", "terminated;reason=timeout")) {
                for (String tag : List.of("n1", "n2")) { // the notifier that answered, and a fork
                    notifies.add(SipRequest.builder(SipMethod.NOTIFY, Uri.parse("sip:me@127.0.0.1:5060"))
                            .via(Via.of("UDP", "127.0.0.1", 5070, "z9hG4bK" + UNIQUE)).maxForwards(70)
                            .from(Address.parse("<sip:mailbox@example.com>").withTag(tag)).to(subscribe.from())
                            .callId(subscribe.callId()).cseq(2).contact(Address.parse("<sip:mailbox@127.0.0.1:5070>"))
                            .set("Event", "message-summary").set("Subscription-State", state)
                            .body(MessageSummaryPackage.TYPE, ("Messages-Waiting: yes\r\nMessage-Account: sip:me@example.com\r\n"
                                    + "Voice-Message: 2/8 (0/2)\r\n").getBytes(StandardCharsets.US_ASCII))
                            .build().toByteArray());
                }
                for (String frag : List.of("SIP/2.0 100 Trying\r\n", "SIP/2.0 200 OK\r\n",
                        "SIP/2.0 503 Service Unavailable\r\nRetry-After: 5\r\n\r\n")) {
                    notifies.add(DialogFixture.inDialog(SipMethod.NOTIFY, call.id().callId(), "bobtag", 10).toBuilder()
                            .via(Via.of("UDP", "127.0.0.1", 5070, "z9hG4bK" + UNIQUE))
                            .set("Event", "refer;id=" + refer.cseq().seq()).set("Subscription-State", state)
                            .body(MediaType.MESSAGE_SIPFRAG, frag.getBytes(StandardCharsets.US_ASCII)).build().toByteArray());
                }
            }
            for (int i = start; i < Math.min(iterations, start + BATCH); i++) {
                byte[] input = Corpus.mutate(rnd.nextInt(3) == 0 ? answers : notifies, rnd);
                input = new String(input, StandardCharsets.ISO_8859_1).replace(UNIQUE, Integer.toString(i))
                        .replace("CSeq: 10 ", "CSeq: " + (10 + i) + " ").replace("CSeq: 2 ", "CSeq: " + (2 + i) + " ")
                        .getBytes(StandardCharsets.ISO_8859_1);
                int before = feed(f, input, seed, i);
                if (before >= 0) {
                    delivered++;
                    progress += (int) f.events.subList(before, f.events.size()).stream()
                            .filter(e -> e instanceof DialogEvent.ReferProgress || e instanceof DialogEvent.NotifyReceived)
                            .count();
                }
            }
            for (Dialog d : sub.dialogs()) {
                f.dialogs.unsubscribe(d);
            }
            f.dialogs.bye(call);
            assertNothingLeftAfterTheTimers(f, seed, start);
        }
        assertThat(delivered).as("mutations must not all be fatal").isGreaterThan(iterations / 10);
        assertThat(progress).as("NOTIFYs that reached the application").isGreaterThan(iterations / 50);
    }

    @Test
    void mutatedAnswersNeverFailARegistrationClient() {
        // our REGISTERs (RFC 3261 §10.2), answered by a peer that mutates 200s with several
        // bindings, Service-Route and Date, challenges, 423 with Min-Expires, 403 and 503 with
        // Retry-After; the clock runs between answers so refreshes and retries go out; at the end
        // we unregister and the timers run out
        long seed = Long.getLong("rvoip.fuzz.seed", 0xD1A1_06L);
        int iterations = Integer.getInteger("rvoip.fuzz.iterations", 20_000) / 4; // 5,000: each runs the clock
        SplittableRandom rnd = new SplittableRandom(seed);
        int delivered = 0;
        int registered = 0;
        for (int start = 0; start < iterations; start += BATCH) {
            DialogFixture f = new DialogFixture(b -> b.credentials(
                    io.rvoip.sip.dialog.auth.CredentialsProvider.of("alice", "secret")));
            io.rvoip.sip.dialog.registration.Registration reg = io.rvoip.sip.dialog.registration.Registration.start(
                    f.dialogs, f.timers, f.bus, io.rvoip.sip.dialog.registration.Registration.Account.of(
                            Address.parse("<sip:alice@example.com>"), Uri.parse("sip:127.0.0.1:5070"),
                            Address.parse("<sip:alice@127.0.0.1:5060>")).withExpires(600));
            f.shards.runPending();
            for (int i = start; i < Math.min(iterations, start + BATCH); i++) {
                List<DialogFixture.Sent> sent = f.sent(DialogFixture.request(SipMethod.REGISTER));
                SipRequest last = (SipRequest) sent.get(sent.size() - 1).message();
                byte[] input = Corpus.mutate(registerAnswers(last), rnd);
                if (feed(f, input, seed, i) >= 0) {
                    delivered++;
                }
                if (reg.state() == io.rvoip.sip.dialog.registration.Registration.State.REGISTERED) {
                    registered++;
                }
                // time passes: up to 2 s, or now and then up to 400 s in one jump (a refresh, a retry)
                f.clock.advanceMillis(rnd.nextInt(4) == 0 ? 1_000 + rnd.nextInt(400_000) : rnd.nextInt(2_000));
                f.shards.runPending();
            }
            // then the registrar behaves: whatever the peer did, the client must register again (a
            // handler that threw inside a callback would leave it waiting for good)
            heal(f, reg, seed, start);
            reg.unregister();
            assertNothingLeftAfterTheTimers(f, seed, start);
        }
        assertThat(delivered).as("mutations must not all be fatal").isGreaterThan(iterations / 10);
        assertThat(registered).as("answers after which the client was registered").isGreaterThan(iterations / 50);
    }

    /** A registrar (with Digest) answers every REGISTER from the last one on, 10 s at a time, for up to 2 hours. */
    private static void heal(DialogFixture f, io.rvoip.sip.dialog.registration.Registration reg, long seed, int start) {
        io.rvoip.sip.dialog.registration.Registrar registrar = io.rvoip.sip.dialog.registration.Registrar.builder()
                .authenticator(io.rvoip.sip.dialog.auth.DigestAuthenticator.builder("example.com",
                        io.rvoip.sip.dialog.auth.CredentialStore.plaintext(java.util.Map.of("alice", "secret")))
                        .clock(f.clock).nonceLifetime(Duration.ofHours(3)).build())
                .clock(f.clock).build();
        int answered = f.sent(DialogFixture.request(SipMethod.REGISTER)).size() - 1;
        for (int step = 0; step < 720 && reg.state() != io.rvoip.sip.dialog.registration.Registration.State.REGISTERED;
                step++) {
            List<DialogFixture.Sent> regs = f.sent(DialogFixture.request(SipMethod.REGISTER));
            while (answered < regs.size()) {
                f.receive(registrar.handle((SipRequest) regs.get(answered++).message()));
                regs = f.sent(DialogFixture.request(SipMethod.REGISTER));
            }
            if (reg.state() != io.rvoip.sip.dialog.registration.Registration.State.REGISTERED) {
                f.clock.advanceMillis(10_000);
                f.shards.runPending();
            }
        }
        assertNoHandlerFailed(f, seed, -1, new byte[0]);
        assertThat(reg.state()).as("seed %d, batch from input %d: registered again once the registrar behaves", seed, start)
                .isEqualTo(io.rvoip.sip.dialog.registration.Registration.State.REGISTERED);
    }

    /** Answers to {@code register}, each with what the registration client reads from them. */
    private static List<byte[]> registerAnswers(SipRequest register) {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(SipResponse.forRequest(register, StatusCode.OK, "r1")
                .add(SipHeaders.CONTACT, Address.parse("<sip:alice@127.0.0.1:5060>;expires=600"))
                .add(SipHeaders.CONTACT, Address.parse("\"Other\" <sip:alice@192.0.2.9:5060>;expires=3600;q=0.5"))
                .add(SipHeaders.SERVICE_ROUTE, Address.parse("<sip:edge.example.com;lr>"))
                .set(SipHeaders.EXPIRES, 600L).set("Date", "Sat, 13 Nov 2010 23:29:00 GMT").build().toByteArray());
        seeds.add(SipResponse.forRequest(register, StatusCode.UNAUTHORIZED, "r1")
                .set("WWW-Authenticate", "Digest realm=\"example.com\", nonce=\"n" + register.cseq().seq()
                        + "\", algorithm=MD5, qop=\"auth\"").build().toByteArray());
        seeds.add(SipResponse.forRequest(register, StatusCode.valueOf(423), "r1").set("Min-Expires", "1200").build()
                .toByteArray());
        seeds.add(SipResponse.forRequest(register, StatusCode.FORBIDDEN, "r1").build().toByteArray());
        seeds.add(SipResponse.forRequest(register, StatusCode.SERVICE_UNAVAILABLE, "r1").set("Retry-After", "30")
                .build().toByteArray());
        return seeds;
    }

    @Test
    void mutatedRegistersAlwaysGetAnAnswerFromTheRegistrar() {
        // the registrar answers every REGISTER that parses (a 2xx lists every binding of the AOR,
        // so one client's odd Contact must not break another's answer); its answers are valid SIP
        long seed = Long.getLong("rvoip.fuzz.seed", 0xD1A1_06L);
        int iterations = Integer.getInteger("rvoip.fuzz.iterations", 20_000);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> seeds = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            seeds.add(SipRequest.builder(SipMethod.REGISTER, Uri.parse("sip:example.com"))
                    .via(Via.of("UDP", "192.0.2.1", 5060, SipIds.newBranch())).maxForwards(70)
                    .from(Address.parse("<sip:alice@example.com>;tag=r" + c)).to(Address.parse("<sip:alice@example.com>"))
                    .callId("reg-" + c).cseq(1 + c)
                    .contact(Address.parse("\"Alice\" <sip:alice@192.0.2." + c + ":5060>;q=0.5;expires=600"))
                    .add(SipHeaders.PATH, Address.parse("<sip:edge.example.com;lr>"))
                    .set(SipHeaders.EXPIRES, 3600L).build().toByteArray());
        }
        for (byte[] b : Corpus.seeds()) {
            if (new String(b, 0, Math.min(b.length, 9), StandardCharsets.ISO_8859_1).equals("REGISTER ")) {
                seeds.add(b);
            }
        }
        io.rvoip.sip.dialog.registration.Registrar registrar = io.rvoip.sip.dialog.registration.Registrar.builder()
                .domains("example.com").build();
        int answered = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] input = Corpus.mutate(seeds, rnd);
            SipRequest r;
            try {
                if (!(SipParser.defaults().parseDatagram(input) instanceof SipRequest req)
                        || !req.method().equals(SipMethod.REGISTER) || req.callId() == null || req.from() == null) {
                    continue;
                }
                r = req;
            } catch (SipParseException e) {
                continue;
            }
            try {
                SipResponse answer = registrar.handle(r);
                SipParser.defaults().parseDatagram(answer.toByteArray()).getAll(SipHeaders.CONTACT);
                answered++;
            } catch (RuntimeException x) {
                throw new AssertionError("seed " + seed + " input " + i + ": " + x + "\ninput: "
                        + new String(input, StandardCharsets.ISO_8859_1), x);
            }
        }
        assertThat(answered).as("mutations must not all be fatal").isGreaterThan(iterations / 20);
    }

    /**
     * The application: a 180 and a 200 to each new INVITE that reaches it, then an INFO and a BYE
     * in its dialog; a 200 to anything else.
     */
    private void answer(DialogFixture f, int before, long seed, int i, byte[] input) {
        for (DialogEvent e : new ArrayList<>(f.events.subList(before, f.events.size()))) {
            if (e instanceof DialogEvent.RequestReceived r && !r.request().method().equals(SipMethod.ACK)
                    && r.transaction().accepts(200)) {
                try {
                    SipRequest req = r.request();
                    if (req.method().equals(SipMethod.INVITE) && req.to().tag() == null) {
                        f.dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.RINGING, "uas" + i).build());
                        f.shards.runPending();
                    }
                    f.dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.OK, "uas" + i).build());
                    f.shards.runPending();
                    if (req.method().equals(SipMethod.INVITE) && req.to().tag() == null) {
                        // then in the new dialog: an INFO and a BYE to that peer, whatever it sent us
                        Dialog d = f.dialogs.dialog(new DialogId(req.callId(), "uas" + i, DialogLayer.remoteTagOf(req)));
                        if (d != null) {
                            dialogsUsed++;
                            f.dialogs.send(d, f.dialogs.createRequest(d, SipMethod.INFO).build());
                            f.dialogs.bye(d);
                            f.shards.runPending();
                        }
                    }
                } catch (RuntimeException x) {
                    throw new AssertionError("seed " + seed + " input " + i + ": the application's answer failed: " + x
                            + "\ninput: " + new String(input, StandardCharsets.ISO_8859_1), x);
                }
            }
        }
    }

    /**
     * Parses {@code input} and, if it parses, delivers it, lets the application answer and
     * checks no handler failed; returns the number of events before it, or -1 if it did not parse.
     */
    private int feed(DialogFixture f, byte[] input, long seed, int i) {
        SipMessage m;
        try {
            m = SipParser.defaults().parseDatagram(input);
        } catch (SipParseException e) {
            return -1;
        }
        int before = f.events.size();
        f.receive(m);
        answer(f, before, seed, i, input);
        assertNoHandlerFailed(f, seed, i, input);
        return before;
    }

    /**
     * Runs every timer out (retransmissions, Timer H/J, 2xx without ACK, 64·T1 after a CANCEL,
     * session expiry, Timer N; a BYE sent in the first run has its own 32 s), then checks that
     * no handler failed and nothing is left: no dialog, transaction or subscription outlives
     * its timers.
     */
    private static void assertNothingLeftAfterTheTimers(DialogFixture f, long seed, int start) {
        f.runFor(70_000);
        f.runFor(70_000);
        assertNoHandlerFailed(f, seed, -1, new byte[0]);
        assertThat(new int[] {f.dialogs.dialogCount(), f.transactions.transactionCount(),
            f.dialogs.subscriptionCount(), f.dialogs.pendingSubscribeCount()})
                .as("seed %d, batch from input %d: dialogs, transactions, subscriptions, pending SUBSCRIBEs", seed, start)
                .containsOnly(0);
    }

    private static void assertNoHandlerFailed(DialogFixture f, long seed, int i, byte[] input) {
        for (SubscriptionMetrics s : f.bus.metrics().subscriptions()) {
            assertThat(s.failed()).as("seed %d input %d: handler %s failed\ninput: %s", seed, i, s.name(),
                    new String(input, StandardCharsets.ISO_8859_1)).isZero();
        }
    }
}
