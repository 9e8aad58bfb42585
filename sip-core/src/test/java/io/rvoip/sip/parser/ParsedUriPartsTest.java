package io.rvoip.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The SIP URIs of the start line and of From and To keep their user part and host as byte
 * ranges of the message until first read, and From and To their quoted display names: they
 * must read from the message's own copy (never from the caller's buffer, which it may reuse)
 * and equal values made from strings.
 */
class ParsedUriPartsTest {
    private static final String INVITE = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9a1c2e8d\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: \"Alice\" <sip:alice:pw@atlanta.example.com:5070;transport=tcp?subject=x>;tag=9fxc\r\n"
            + "To: sip:biloxi.example.com\r\n"
            + "Call-ID: 3848276298220188511@192.0.2.101\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Content-Length: 0\r\n\r\n";

    @Test
    void partsComeFromTheMessagesCopyNotTheCallersBuffer() {
        byte[] buffer = ("\r\n" + INVITE + "trailing octets past Content-Length").getBytes(StandardCharsets.US_ASCII);
        SipRequest r = (SipRequest) SipParser.defaults().parseDatagram(buffer, 0, buffer.length);
        Arrays.fill(buffer, (byte) 'X'); // the transport reuses its buffer for the next datagram
        assertRead(r);
        byte[] exact = INVITE.getBytes(StandardCharsets.US_ASCII);
        SipRequest e = (SipRequest) SipParser.defaults().parseDatagram(exact);
        Arrays.fill(exact, (byte) 'X');
        assertRead(e);
    }

    @Test
    void aFrameFromAStreamBufferToo() {
        byte[] buffer = ("garbage" + INVITE + "next message").getBytes(StandardCharsets.US_ASCII);
        SipRequest r = (SipRequest) SipParser.defaults().parseFrame(buffer, 7, INVITE.length());
        Arrays.fill(buffer, (byte) 'X');
        assertRead(r);
    }

    private static void assertRead(SipRequest r) {
        SipUri ruri = (SipUri) r.requestUri();
        assertThat(ruri.user()).isEqualTo("bob");
        assertThat(ruri.host()).isEqualTo("biloxi.example.com");
        assertThat(r.from().displayName()).isEqualTo("Alice");
        assertThat(r.to().displayName()).isNull();
        SipUri from = r.from().sipUri();
        assertThat(from.user()).isEqualTo("alice");
        assertThat(from.password()).isEqualTo("pw");
        assertThat(from.host()).isEqualTo("atlanta.example.com");
        assertThat(from.port()).isEqualTo(5070);
        assertThat(from.transport()).isEqualTo("tcp");
        assertThat(from.rawHeaders()).isEqualTo("subject=x");
        SipUri to = r.to().sipUri();
        assertThat(to.rawUser()).isNull();
        assertThat(to.host()).isEqualTo("biloxi.example.com");
        assertThat(new String(r.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(INVITE);
    }

    @Test
    void equalToTheSameUriMadeFromStringsWhicheverIsReadFirst() {
        byte[] bytes = INVITE.getBytes(StandardCharsets.US_ASCII);
        Uri text = Uri.parse("sip:alice:pw@atlanta.example.com:5070;transport=tcp?subject=x");
        SipUri unread = SipParser.defaults().parseDatagram(bytes).from().sipUri();
        assertThat(unread).isEqualTo(text);            // equals reads the parts
        assertThat(text).isEqualTo(SipParser.defaults().parseDatagram(bytes).from().sipUri());
        assertThat(SipParser.defaults().parseDatagram(bytes).from().sipUri().hashCode()).isEqualTo(text.hashCode());
        assertThat(SipParser.defaults().parseDatagram(bytes).from().sipUri().toString()).isEqualTo(text.toString());
        assertThat(SipParser.defaults().parseDatagram(bytes).from().sipUri().isEquivalentTo((SipUri) text)).isTrue();
        SipUri copy = SipParser.defaults().parseDatagram(bytes).from().sipUri().toBuilder().port(5080).build();
        assertThat(copy.user()).isEqualTo("alice");
        assertThat(copy.host()).isEqualTo("atlanta.example.com");
    }

    @Test
    void displayNamesDecodedWhenRead() {
        String[][] cases = {{"\"Zo\u00eb \u65e5\u672c\"", "Zo\u00eb \u65e5\u672c"}, {"\"a \\\"b\\\" c\"", "a \"b\" c"},
            {"\"\"", ""}, {"Plain Name", "Plain Name"}, {"", null}};
        for (String[] c : cases) {
            byte[] bytes = INVITE.replace("\"Alice\" ", c[0] + (c[0].isEmpty() ? "" : " "))
                    .getBytes(StandardCharsets.UTF_8);
            SipRequest r = (SipRequest) SipParser.defaults().parseDatagram(bytes);
            Arrays.fill(bytes, (byte) 'X');
            assertThat(r.from().displayName()).as(c[0]).isEqualTo(c[1]);
            assertThat(r.from()).isEqualTo(new io.rvoip.sip.header.Address(c[1], r.from().uri(), r.from().params(), true));
        }
    }

    /** Offsets past 65,535 do not fit the packed ranges: such URIs are made from strings at once. */
    @Test
    void partsPast64KibOfMessageAreMadeAtOnce() {
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            pad.append("X-Pad-").append(i).append(": ").append("p".repeat(8000)).append("\r\n");
        }
        String big = INVITE.replace("From:", pad + "From:");
        byte[] bytes = big.getBytes(StandardCharsets.US_ASCII);
        assertThat(big.indexOf("atlanta")).isGreaterThan(65_535);
        SipParser parser = new SipParser(new ParserLimits(200_000, 256, 16_384, 8_192, 65_536, 128, 128));
        SipRequest r = (SipRequest) parser.parseDatagram(bytes);
        assertThat(r.from().sipUri().host()).isEqualTo("atlanta.example.com");
        assertThat(r.from().sipUri().user()).isEqualTo("alice");
        assertThat(r.to().sipUri().host()).isEqualTo("biloxi.example.com");
        assertThat(((SipUri) r.requestUri()).user()).isEqualTo("bob");
    }
}
