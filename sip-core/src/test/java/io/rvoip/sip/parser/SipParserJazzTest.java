package io.rvoip.sip.parser;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rvoip.sip.header.HeaderType;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.sdp.SessionDescription;

/**
 * Coverage-guided fuzz target (Jazzer). In a normal build it replays the seed inputs in
 * {@code SipParserJazzTestInputs/parse}; run {@code JAZZER_FUZZ=1 mvn -pl sip-core test
 * -Dtest=SipParserJazzTest} to fuzz. Anything but success or a clean {@link SipParseException}
 * is a finding, and so is a full-depth parse that disagrees with the default depth (see
 * {@link SipParserFuzzTest}).
 */
class SipParserJazzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        SipMessage m;
        try {
            m = SipParser.defaults().parseDatagram(data);
        } catch (SipParseException e) {
            check(e);
            SipParserFuzzTest.fullDepthAgrees(SipParser.fullDepth(), data, null, e, 0, 0);
            return;
        }
        SipParserFuzzTest.fullDepthAgrees(SipParser.fullDepth(), data, m, null, 0, 0);
        for (HeaderType<?> t : SipParserFuzzTest.TYPES) {
            try {
                m.getAll(t);
            } catch (SipParseException e) {
                check(e);
            }
        }
        if (m.bodyLength() > 0) {
            try {
                SessionDescription.parse(m.body()).toString();
            } catch (SipParseException e) {
                check(e);
            }
        }
        SipMessage again = SipParser.defaults().parseDatagram(m.toByteArray());
        if (!java.util.Arrays.equals(again.toByteArray(), m.toByteArray())) {
            throw new AssertionError("round trip changed the bytes");
        }
    }

    private static void check(SipParseException e) {
        if (e.getCause() != null) {
            throw new AssertionError(e);
        }
    }
}
