package io.rvoip.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.dialog.auth.CredentialStore;
import io.rvoip.sip.dialog.auth.CredentialsProvider;
import io.rvoip.sip.dialog.auth.DigestAuthenticator;
import io.rvoip.sip.dialog.registration.Registrar;
import io.rvoip.sip.dialog.registration.Registration;
import io.rvoip.sip.dialog.registration.RegistrationEvent;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.uri.Uri;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RFC 3665 §2 registration flows over loopback UDP: with and without authentication, unregister. */
class RegistrationOverLoopbackIT {

    private static DialogStack registrarStack(Registrar registrar) {
        DialogStack s = new DialogStack(0, b -> b.allowedMethods("REGISTER", "OPTIONS", "ACK", "CANCEL"));
        s.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
            if (e.request().method().equals(SipMethod.REGISTER)) {
                s.dialogs.respond(e.transaction(), registrar.handle(e.request()));
            }
        });
        return s;
    }

    private static void registerAndUnregister(Registrar registrar, CredentialsProvider credentials) throws Exception {
        try (DialogStack server = registrarStack(registrar);
             DialogStack client = new DialogStack(0, b -> b.credentials(credentials))) {
            List<RegistrationEvent> events = new CopyOnWriteArrayList<>();
            client.bus.subscribe(RegistrationEvent.class).handle(events::add);
            Registration reg = Registration.start(client.dialogs, client.timers, client.bus, Registration.Account.of(
                    Address.parse("<sip:alice@example.com>"), Uri.parse("sip:127.0.0.1:" + server.udpPort),
                    Address.parse("<sip:alice@127.0.0.1:" + client.udpPort + ">")).withExpires(300));
            DialogsOverLoopbackIT.await(() -> reg.state() == Registration.State.REGISTERED, "registered");
            assertThat(reg.grantedExpires()).isEqualTo(300);
            assertThat(registrar.lookup("sip:alice@example.com")).extracting(b -> b.contact().uri().toString())
                    .containsExactly("sip:alice@127.0.0.1:" + client.udpPort);
            assertThat(reg.unregister().get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(registrar.lookup("sip:alice@example.com")).isEmpty();
            assertThat(events).containsExactly(new RegistrationEvent.Registered("sip:alice@example.com", 300),
                    new RegistrationEvent.Unregistered("sip:alice@example.com"));
        }
    }

    @Test
    void registrationWithoutAuthentication() throws Exception {
        registerAndUnregister(Registrar.builder().build(), CredentialsProvider.none());
    }

    @Test
    void registrationWithDigestAuthentication() throws Exception {
        DigestAuthenticator auth = DigestAuthenticator.builder("example.com",
                CredentialStore.plaintext(Map.of("alice", "secret"))).build();
        registerAndUnregister(Registrar.builder().authenticator(auth).build(), CredentialsProvider.of("alice", "secret"));
    }
}
