package io.rvoip.sip.dialog;

import static io.rvoip.sip.dialog.DialogFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.dialog.auth.CredentialStore;
import io.rvoip.sip.dialog.auth.CredentialsProvider;
import io.rvoip.sip.dialog.auth.DigestAuthenticator;
import io.rvoip.sip.dialog.registration.Registrar;
import io.rvoip.sip.dialog.registration.Registration;
import io.rvoip.sip.dialog.registration.RegistrationEvent;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.uri.Uri;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registration client against a registrar, through a manual-clock dialog layer. */
class RegistrationTest {
    private final DialogFixture f = new DialogFixture(b -> b.credentials(CredentialsProvider.of("alice", "secret")));
    private final DigestAuthenticator auth = DigestAuthenticator.builder("example.com",
            CredentialStore.plaintext(Map.of("alice", "secret"))).clock(f.clock).nonceLifetime(java.time.Duration.ofHours(1)).build();
    private final Registrar registrar = Registrar.builder().authenticator(auth).clock(f.clock).build();
    private final List<RegistrationEvent> events = new ArrayList<>();

    RegistrationTest() {
        f.bus.subscribe(RegistrationEvent.class).handle(events::add);
    }

    private final Registration.Account account = Registration.Account.of(Address.parse("<sip:alice@example.com>"),
            Uri.parse("sip:127.0.0.1:5070"), Address.parse("<sip:alice@127.0.0.1:5060>")).withExpires(600);

    /** The registrar answers every REGISTER sent so far that is unanswered. */
    private int answered;

    private void registrarAnswers() {
        List<DialogFixture.Sent> regs = f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER));
        while (answered < regs.size()) {
            SipRequest r = (SipRequest) regs.get(answered++).message();
            f.receive(registrar.handle(r));
            regs = f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER));
        }
    }

    private void advance(long millis) {
        f.clock.advanceMillis(millis);
        f.shards.runPending();
    }

    @Test
    void registersWithAuthRefreshesAtTheMidpointAndUnregisters() {
        Registration reg = Registration.start(f.dialogs, f.timers, f.bus, account);
        f.shards.runPending();
        registrarAnswers(); // 401, then the authorized REGISTER, then 200
        assertThat(reg.state()).isEqualTo(Registration.State.REGISTERED);
        assertThat(reg.grantedExpires()).isEqualTo(600);
        assertThat(events).containsExactly(new RegistrationEvent.Registered("sip:alice@example.com", 600));
        assertThat(registrar.lookup("sip:alice@example.com")).hasSize(1);
        List<DialogFixture.Sent> regs = f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER));
        assertThat(regs).hasSize(2);
        SipRequest second = (SipRequest) regs.get(1).message();
        assertThat(second.cseq().seq()).isEqualTo(2);
        assertThat(second.callId()).isEqualTo(reg.callId());

        // the refresh goes out at the midpoint, 300 s later, same Call-ID, higher CSeq
        advance(299_000);
        assertThat(f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER))).hasSize(2);
        advance(1_000);
        regs = f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER));
        assertThat(regs).hasSize(3);
        SipRequest refresh = (SipRequest) regs.get(2).message();
        assertThat(refresh.cseq().seq()).isEqualTo(3);
        assertThat(refresh.callId()).isEqualTo(reg.callId());
        assertThat(events).contains(new RegistrationEvent.Refreshing("sip:alice@example.com"));
        registrarAnswers();
        assertThat(reg.state()).isEqualTo(Registration.State.REGISTERED);

        var done = reg.unregister();
        f.shards.runPending();
        registrarAnswers();
        assertThat(done).isCompleted();
        assertThat(reg.state()).isEqualTo(Registration.State.UNREGISTERED);
        SipRequest last = (SipRequest) f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER))
                .get(f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER)).size() - 1).message();
        assertThat(last.get(SipHeaders.EXPIRES)).isEqualTo(0L);
        assertThat(registrar.lookup("sip:alice@example.com")).isEmpty();
        assertThat(events.get(events.size() - 1)).isEqualTo(new RegistrationEvent.Unregistered("sip:alice@example.com"));
    }

    @Test
    void minExpiresFromA423IsHonouredAndFailuresRetry() {
        Registrar strict = Registrar.builder().clock(f.clock).expires(3600, 1800, 7200).build();
        Registration reg = Registration.start(f.dialogs, f.timers, f.bus, account);
        f.shards.runPending();
        SipRequest first = (SipRequest) f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER)).get(0).message();
        f.receive(strict.handle(first)); // 423, Min-Expires 1800
        SipRequest second = (SipRequest) f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER)).get(1).message();
        assertThat(second.get(SipHeaders.EXPIRES)).isEqualTo(1800L);
        f.receive(SipResponse.forRequest(second, StatusCode.SERVICE_UNAVAILABLE).build());
        assertThat(reg.state()).isEqualTo(Registration.State.FAILED);
        assertThat(events).contains(new RegistrationEvent.Failed("sip:alice@example.com", 503, "Service Unavailable"));
        advance(60_000);
        SipRequest retry = (SipRequest) f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER)).get(2).message();
        assertThat(retry.get(SipHeaders.EXPIRES)).isEqualTo(1800L);
        f.receive(strict.handle(retry));
        assertThat(reg.state()).isEqualTo(Registration.State.REGISTERED);
        assertThat(reg.grantedExpires()).isEqualTo(1800);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Contact: <sip:alice@127.0.0.1:5060>;expires=300",
        "Contact: <sip:alice@127.0.0.1:5060;expires=300", "Expires: soon", "Contact: <sip:alice@127.0.0.1:5060>;expires=-5",
        "Contact: <sip:alice@127.0.0.1:5060>;expires=99999999999999999999"})
    void aTwoHundredThatCannotBeReadInFullStillRegistersAndRefreshes(String header) {
        // the granted expiry comes from our Contact's expires, else Expires, else what we asked
        // for; whatever of it cannot be read (or is no delta-seconds) counts as absent, and the
        // registration goes on refreshing: it must never stop without a word
        Registration reg = Registration.start(f.dialogs, f.timers, f.bus, account);
        f.shards.runPending();
        SipRequest first = (SipRequest) f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER)).get(0).message();
        f.receive(DialogFixture.withRaw(SipResponse.forRequest(first, StatusCode.OK).build(), header));
        assertThat(reg.state()).isEqualTo(Registration.State.REGISTERED);
        long expected = header.endsWith(">;expires=300") ? 300 : 600; // the one well-formed grant
        assertThat(reg.grantedExpires()).isEqualTo(expected);
        assertThat(f.bus.metrics().subscriptions()).allSatisfy(m -> assertThat(m.failed()).isZero());
        advance(expected * 500);
        assertThat(f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER))).as("refreshed at the midpoint").hasSize(2);
    }

    @Test
    void a423WhoseMinExpiresCannotBeReadFailsAndRetries() {
        Registration reg = Registration.start(f.dialogs, f.timers, f.bus, account);
        f.shards.runPending();
        SipRequest first = (SipRequest) f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER)).get(0).message();
        f.receive(DialogFixture.withRaw(SipResponse.forRequest(first, StatusCode.INTERVAL_TOO_BRIEF).build(), "Min-Expires: soon"));
        assertThat(reg.state()).isEqualTo(Registration.State.FAILED);
        advance(60_000);
        assertThat(f.sent(request(io.rvoip.sip.message.SipMethod.REGISTER))).as("retried").hasSize(2);
    }
}
