package io.rvoip.sip.sdp;

import java.util.Objects;

/**
 * {@code a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]} (RFC 4566 §6).
 *
 * @param payloadType 0..127
 * @param encoding the encoding name as written, e.g. {@code PCMU}, {@code opus}
 * @param clockRate the RTP clock rate
 * @param channels the channel count, or -1 if not given
 */
public record RtpMap(int payloadType, String encoding, int clockRate, int channels) {

    /** Validates the ranges. */
    public RtpMap {
        Objects.requireNonNull(encoding, "encoding");
        if (payloadType < 0 || payloadType > 127 || clockRate <= 0) {
            throw new IllegalArgumentException("bad rtpmap " + payloadType + " " + encoding + "/" + clockRate);
        }
    }

    /** Parses the attribute value. */
    public static RtpMap parse(String value) {
        String[] p = SdpValues.split(value, 2, "rtpmap");
        int pt = (int) SdpValues.number(p[0], 127, "payload type");
        String[] enc = p[1].split("/");
        if (enc.length < 2 || enc.length > 3 || enc[0].isEmpty()) {
            throw new io.rvoip.sip.parser.SipParseException("malformed rtpmap: " + value, -1);
        }
        int rate = (int) SdpValues.number(enc[1], Integer.MAX_VALUE, "clock rate");
        int channels = enc.length == 3 ? (int) SdpValues.number(enc[2], 255, "channels") : -1;
        if (rate == 0) {
            throw new io.rvoip.sip.parser.SipParseException("zero clock rate: " + value, -1);
        }
        return new RtpMap(pt, enc[0], rate, channels);
    }

    @Override
    public String toString() {
        return payloadType + " " + encoding + "/" + clockRate + (channels >= 0 ? "/" + channels : "");
    }
}
