package io.rvoip.sip.transport;

import static io.rvoip.sip.transport.TransportHarness.loopback;
import static io.rvoip.sip.transport.TransportHarness.options;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rvoip.sip.message.SipRequest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Message traces over real UDP and TCP: every message sent and received is written whole, its secrets redacted. */
class SipTraceIT {
    private static final String DIGEST = "6629fae49393a05397450978507c4ef1";
    private static final String KEY = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20|1:4\r\n"
            + "a=ice-pwd:asd88fgpdd777uzjYhagZg\r\n";

    private final TransportHarness a = new TransportHarness(b -> b.listen(TransportType.UDP, loopback())
            .listen(TransportType.TCP, loopback()));
    private final TransportHarness b = new TransportHarness(c -> c.listen(TransportType.UDP, loopback())
            .listen(TransportType.TCP, loopback()));
    private final ListAppender<ILoggingEvent> traces = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(SipTrace.LOGGER);

    @BeforeEach
    void capture() {
        traces.start();
        logger.addAppender(traces);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(traces);
        logger.setLevel(null);
        a.close();
        b.close();
    }

    private SipRequest withSecrets() {
        return options(null).toBuilder()
                .set("Authorization", "Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\", "
                        + "uri=\"sip:bob@127.0.0.1\", response=\"" + DIGEST + "\", algorithm=MD5")
                .body(io.rvoip.sip.header.MediaType.parse("application/sdp"), SDP.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .build();
    }

    @Test
    void sentAndReceivedMessagesAreTracedWithoutSecrets() throws Exception {
        for (TransportType t : new TransportType[] {TransportType.UDP, TransportType.TCP}) {
            traces.list.clear();
            SipRequest request = withSecrets();
            a.transport.send(request, b.destination(t)).get(10, TimeUnit.SECONDS);
            b.next(TransportEvent.MessageReceived.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (traces.list.size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the received trace is written on the event loop before the event is published
            }
            assertThat(traces.list).hasSize(2);
            String sent = traces.list.get(0).getFormattedMessage();
            String received = traces.list.get(1).getFormattedMessage();
            assertThat(sent).startsWith("sent ").contains("over " + t).contains("OPTIONS sip:bob@127.0.0.1 SIP/2.0")
                    .contains(request.callId());
            assertThat(received).startsWith("received ").contains("over " + t).contains("OPTIONS sip:bob@127.0.0.1 SIP/2.0");
            for (String line : new String[] {sent, received}) {
                assertThat(line).doesNotContain(DIGEST).doesNotContain(KEY).doesNotContain("asd88fgpdd777uzjYhagZg")
                        .contains("response=\"<redacted>\"").contains("inline:<redacted>")
                        .contains("a=ice-pwd:<redacted>").contains("nonce=\"abc\"").contains("username=\"alice\"");
            }
        }
    }

    @Test
    void redactionKeepsEverythingElse() {
        assertThat(SipTrace.redact("Proxy-Authorization: Digest response=abc, cnonce=\"x\"\r\nk=clear:secret\r\nVia: x\r\n"))
                .isEqualTo("Proxy-Authorization: Digest response=<redacted>, cnonce=\"x\"\r\nk=<redacted>\r\nVia: x\r\n");
        assertThat(SipTrace.redact("Subject: response=\"visible\"\r\n")).isEqualTo("Subject: response=\"visible\"\r\n");
        assertThat(SipTrace.redact("Authentication-Info: nextnonce=\"n\", rspauth=\"6629fae4\", qop=auth\r\n"))
                .isEqualTo("Authentication-Info: nextnonce=\"n\", rspauth=\"<redacted>\", qop=auth\r\n");
    }
}
