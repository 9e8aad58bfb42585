package io.rvoip.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.sdp.SessionDescription;
import io.rvoip.sip.testing.Corpus;
import io.rvoip.sip.uri.Uri;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example of sip-core's README, compiled and run. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleWorks() {
        byte[] datagramBytes = Corpus.realistic().get("invite-anchor.sip");
        byte[] wire = null;

        // Parse a datagram.
        SipMessage m = SipParser.defaults().parseDatagram(datagramBytes);
        if (m instanceof SipRequest invite && invite.method().equals(SipMethod.INVITE)) {
            Via top = invite.via();
            List<Address> contacts = invite.getAll(SipHeaders.CONTACT);
            SessionDescription offer = SessionDescription.parse(invite.body());

            SipResponse ringing = SipResponse.forRequest(invite, StatusCode.RINGING, "a6c85cf")
                    .contact(Address.of(Uri.parse("sip:bob@192.0.2.4")))
                    .build();
            wire = ringing.toByteArray();

            assertThat(top.branch()).isEqualTo("z9hG4bK74bf9a1c2e8d");
            assertThat(contacts).hasSize(1);
            assertThat(offer.media().get(0).rtpMaps()).hasSize(3);
        }
        assertThat(new String(wire)).startsWith("SIP/2.0 180 Ringing\r\n").contains(";tag=a6c85cf");

        // Build a request.
        SipRequest options = SipRequest.builder(SipMethod.OPTIONS, Uri.parse("sip:bob@biloxi.example.com"))
                .via(Via.of("UDP", "192.0.2.1", 5060, SipIds.newBranch()))
                .maxForwards(70)
                .from(Address.of(Uri.parse("sip:alice@atlanta.example.com")).withTag(SipIds.newTag()))
                .to(Address.of(Uri.parse("sip:bob@biloxi.example.com")))
                .callId(SipIds.newCallId())
                .cseq(1)
                .build();
        assertThat(options.get(SipHeaders.CONTENT_LENGTH)).isZero();
        assertThat(options.via().hasRfc3261Branch()).isTrue();
    }
}
