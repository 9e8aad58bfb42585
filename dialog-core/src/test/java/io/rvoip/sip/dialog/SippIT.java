package io.rvoip.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS;

import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIPp (Debian {@code sip-tester}) as the independent peer: its built-in {@code uac} scenario
 * against a dialog-core UAS and its {@code uas} scenario against a dialog-core UAC, 500 calls
 * each, zero failures. Skipped without SIPp unless {@code RVOIP_REQUIRE_INTEROP} is set (CI).
 * SIPp runs in a JUnit temp directory, deleted after a passing test and kept (with SIPp's logs)
 * after a failing one.
 */
class SippIT {
    private static final int CALLS = 500;

    @BeforeAll
    static void needSipp() {
        Sipp.require();
    }

    @Test
    void sippUacCallsADialogCoreUas(@TempDir(cleanup = ON_SUCCESS) Path dir) throws Exception {
        try (DialogStack uas = new DialogStack()) {
            uas.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
                if (e.request().method().equals(SipMethod.INVITE) && e.dialog() == null) {
                    uas.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.RINGING, "uas").build());
                    uas.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK, "uas").build());
                }
            });
            Process p = Sipp.run(dir, "-sn", "uac", "127.0.0.1:" + uas.udpPort, "-i", "127.0.0.1", "-p",
                    String.valueOf(Sipp.freeUdpPort()), "-m", String.valueOf(CALLS), "-r", "100", "-l", "50",
                    "-timeout", "90s", "-timeout_error");
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            assertThat(done && p.exitValue() == 0).as("SIPp uac: %s", Sipp.report(dir)).isTrue();
            DialogsOverLoopbackIT.await(() -> uas.dialogs.dialogCount() == 0, "every dialog ended by SIPp's BYE");
        }
    }

    @Test
    void aDialogCoreUacCallsSippUas(@TempDir(cleanup = ON_SUCCESS) Path dir) throws Exception {
        Sipp.Started sipp = Sipp.start(dir, port -> List.of("-sn", "uas", "-i", "127.0.0.1", "-p", String.valueOf(port), "-m",
                String.valueOf(CALLS), "-timeout", "90s", "-timeout_error"));
        Process p = sipp.process();
        int port = sipp.port();
        try (DialogStack uac = new DialogStack()) {
            String target = "sip:service@127.0.0.1:" + port;
            Semaphore inFlight = new Semaphore(50);
            List<CompletableFuture<int[]>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                inFlight.acquire();
                OutgoingInvite out = uac.dialogs.invite(uac.invite(target));
                CompletableFuture<int[]> call = out.finalResponse().thenCompose(ok -> out.dialog()
                        .thenCompose(uac.dialogs::bye)
                        .thenApply(bye -> new int[] {ok.statusCode(), bye.statusCode()}));
                call.whenComplete((r, e) -> inFlight.release());
                calls.add(call);
                if (i == 0) {
                    call.get(30, TimeUnit.SECONDS);
                }
            }
            int ok = 0;
            for (CompletableFuture<int[]> c : calls) {
                int[] codes = c.get(60, TimeUnit.SECONDS);
                if (codes[0] == 200 && codes[1] == 200) {
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(CALLS);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("SIPp uas: %s", Sipp.report(dir)).isZero();
            DialogsOverLoopbackIT.await(() -> uac.dialogs.dialogCount() == 0, "no dialogs left");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sippRegistersWithDigestAuthentication(@TempDir(cleanup = ON_SUCCESS) Path dir) throws Exception {
        Path scenario = dir.resolve("register-auth.xml");
        try (var in = SippIT.class.getResourceAsStream("/sipp/register-auth.xml")) {
            Files.copy(in, scenario);
        }
        io.rvoip.sip.dialog.auth.DigestAuthenticator auth = io.rvoip.sip.dialog.auth.DigestAuthenticator.builder(
                "rvoip.test", io.rvoip.sip.dialog.auth.CredentialStore.plaintext(java.util.Map.of("alice", "secret")))
                .algorithms(io.rvoip.sip.auth.DigestAlgorithm.MD5).build();
        io.rvoip.sip.dialog.registration.Registrar registrar = io.rvoip.sip.dialog.registration.Registrar.builder()
                .authenticator(auth).maxBindings(1000).build();
        try (DialogStack server = new DialogStack(0, b -> b.allowedMethods("REGISTER", "OPTIONS", "ACK", "CANCEL"))) {
            server.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
                if (e.request().method().equals(SipMethod.REGISTER)) {
                    server.dialogs.respond(e.transaction(), registrar.handle(e.request()));
                }
            });
            int n = 100;
            Process p = Sipp.run(dir, "127.0.0.1:" + server.udpPort, "-sf", scenario.toString(), "-s", "alice", "-au", "alice",
                    "-ap", "secret", "-i", "127.0.0.1", "-p", String.valueOf(Sipp.freeUdpPort()), "-m", String.valueOf(n),
                    "-r", "50", "-timeout", "60s", "-timeout_error");
            boolean done = p.waitFor(90, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            assertThat(done && p.exitValue() == 0).as("SIPp REGISTER with auth: %s", Sipp.report(dir)).isTrue();
            assertThat(registrar.lookup("sip:alice@127.0.0.1")).hasSize(n);
        }
    }

    @Test
    void sippUacRequiring100relIsPracked(@TempDir(cleanup = ON_SUCCESS) Path dir) throws Exception {
        Path scenario = dir.resolve("uac-100rel.xml");
        try (var in = SippIT.class.getResourceAsStream("/sipp/uac-100rel.xml")) {
            Files.copy(in, scenario);
        }
        try (DialogStack uas = new DialogStack(0, b -> b.supported("100rel"))) {
            java.util.Map<String, io.rvoip.sip.transaction.ServerTransaction> ringing = new java.util.concurrent.ConcurrentHashMap<>();
            uas.bus.subscribe(DialogEvent.class).onShard().handle(e -> {
                if (e instanceof DialogEvent.RequestReceived r && r.request().method().equals(SipMethod.INVITE)
                        && r.dialog() == null) {
                    ringing.put(r.request().callId(), r.transaction());
                    uas.dialogs.respond(r.transaction(), SipResponse.forRequest(r.request(), StatusCode.RINGING, "uas").build());
                } else if (e instanceof DialogEvent.PrackReceived p) {
                    // answer once the reliable 180 is acknowledged
                    io.rvoip.sip.transaction.ServerTransaction tx = ringing.remove(p.dialog().callId());
                    if (tx != null) {
                        uas.dialogs.respond(tx, SipResponse.forRequest(tx.request(), StatusCode.OK, "uas").build());
                    }
                }
            });
            int n = 100;
            Process p = Sipp.run(dir, "127.0.0.1:" + uas.udpPort, "-sf", scenario.toString(), "-i", "127.0.0.1", "-p",
                    String.valueOf(Sipp.freeUdpPort()), "-m", String.valueOf(n), "-r", "50", "-timeout", "60s", "-timeout_error");
            boolean done = p.waitFor(90, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            assertThat(done && p.exitValue() == 0).as("SIPp 100rel uac: %s", Sipp.report(dir)).isTrue();
            DialogsOverLoopbackIT.await(() -> uas.dialogs.dialogCount() == 0, "every dialog ended");
        }
    }

    @Test
    void sippUasSendsReferMidCallAndGetsTheNotifies(@TempDir(cleanup = ON_SUCCESS) Path dir) throws Exception {
        Path scenario = dir.resolve("uas-refer.xml");
        try (var in = SippIT.class.getResourceAsStream("/sipp/uas-refer.xml")) {
            Files.copy(in, scenario);
        }
        int n = 50;
        Sipp.Started sipp = Sipp.start(dir, port -> List.of("-sf", scenario.toString(), "-i", "127.0.0.1", "-p",
                String.valueOf(port), "-m", String.valueOf(n), "-timeout", "60s", "-timeout_error"));
        Process p = sipp.process();
        int port = sipp.port();
        try (DialogStack uac = new DialogStack()) {
            java.util.List<String> referTo = new java.util.concurrent.CopyOnWriteArrayList<>();
            uac.bus.subscribe(DialogEvent.ReferReceived.class).onShard().handle(e -> {
                referTo.add(e.referTo().uri().toString());
                e.subscription().notify(200, "OK").thenCompose(r -> uac.dialogs.bye(e.dialog()));
            });
            for (int i = 0; i < n; i++) {
                OutgoingInvite out = uac.dialogs.invite(uac.invite("sip:service@127.0.0.1:" + port));
                try {
                    out.dialog().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException t) {
                    throw new AssertionError("call " + i + " no answer; tx " + out.transaction()
                            + (out.transaction() == null ? "" : " state " + out.transaction().state())
                            + "; final " + out.finalResponse() + "; dialogs " + out.dialogs()
                            + "; layer dialogs " + uac.dialogs.dialogCount() + "; transport " + uac.transport.metrics()
                            + "; sipp alive " + p.isAlive() + "; port " + port + " our " + uac.udpPort + "; " + Sipp.report(dir));
                }
                int done = i + 1;
                DialogsOverLoopbackIT.await(() -> referTo.size() == done && uac.dialogs.dialogCount() == 0,
                        "call " + done + " transferred and ended");
            }
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            assertThat(done && p.exitValue() == 0).as("SIPp uas REFER: %s", Sipp.report(dir)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    private static Path scenario(Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".xml");
        try (var in = SippIT.class.getResourceAsStream("/sipp/" + name + ".xml")) {
            Files.copy(in, file);
        }
        return file;
    }

    private static void run(Path scenario, String what, String... args) throws Exception {
        Process p = Sipp.run(scenario.getParent(), args);
        boolean done = p.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done && p.exitValue() == 0).as("SIPp %s: %s", what, Sipp.report(scenario.getParent())).isTrue();
    }

    @Test
    void sippUacNegotiatesSessionTimersThrough422AndRefreshesWithUpdate(@TempDir(cleanup = ON_SUCCESS) Path dir)
            throws Exception {
        Path scenario = scenario(dir, "uac-session-timer");
        try (DialogStack uas = new DialogStack(0, b -> b.sessionTimers(java.time.Duration.ofSeconds(90),
                java.time.Duration.ofSeconds(90)))) {
            uas.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
                SipMethod m = e.request().method();
                if (m.equals(SipMethod.INVITE) && e.dialog() == null || m.equals(SipMethod.UPDATE)) {
                    uas.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK, "uas").build());
                }
            });
            int n = 50;
            run(scenario, "session timer uac", "127.0.0.1:" + uas.udpPort, "-sf", scenario.toString(), "-i", "127.0.0.1",
                    "-p", String.valueOf(Sipp.freeUdpPort()), "-m", String.valueOf(n), "-r", "50", "-timeout", "60s",
                    "-timeout_error");
            DialogsOverLoopbackIT.await(() -> uas.dialogs.dialogCount() == 0, "every dialog ended");
        }
    }

    @Test
    void sippSubscribesToMessageSummaryRefreshesAndUnsubscribes(@TempDir(cleanup = ON_SUCCESS) Path dir)
            throws Exception {
        Path scenario = scenario(dir, "subscriber-mwi");
        MessageSummaryPackage mwi = new MessageSummaryPackage();
        mwi.set(io.rvoip.sip.uri.Uri.parse("sip:alice@127.0.0.1"), 2, 5);
        try (DialogStack notifier = new DialogStack(0, b -> b.eventPackages(mwi))) {
            int n = 50;
            run(scenario, "subscriber", "127.0.0.1:" + notifier.udpPort, "-sf", scenario.toString(), "-s", "alice",
                    "-i", "127.0.0.1", "-p", String.valueOf(Sipp.freeUdpPort()), "-m", String.valueOf(n), "-r", "50",
                    "-timeout", "60s", "-timeout_error");
            DialogsOverLoopbackIT.await(() -> notifier.dialogs.dialogCount() == 0
                    && notifier.dialogs.subscriptionCount() == 0, "every subscription ended");
        }
    }
}
