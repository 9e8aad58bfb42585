package io.rvoip.media.codec;

import java.util.Locale;
import java.util.Objects;

/**
 * One payload format of an SDP media description (RFC 4566 {@code a=rtpmap}/{@code a=fmtp},
 * RFC 3551 static types): what session-core's offer/answer and the codec registry exchange.
 *
 * @param payloadType 0–127
 * @param encoding the encoding name as written (compared case-insensitively)
 * @param clockRate the RTP clock rate
 * @param channels audio channels (1 when the rtpmap gives none)
 * @param fmtp the fmtp parameters, or null
 */
public record MediaFormat(int payloadType, String encoding, int clockRate, int channels, String fmtp) {
    /** Validates the fields. */
    public MediaFormat {
        if (payloadType < 0 || payloadType > 127 || clockRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("payload type " + payloadType + ", clock " + clockRate + ", channels " + channels);
        }
        Objects.requireNonNull(encoding, "encoding");
    }

    /**
     * The format of a static payload type of RFC 3551 Table 4 (audio), or null for a dynamic or
     * unassigned one.
     */
    public static MediaFormat staticType(int pt) {
        return switch (pt) {
            case 0 -> new MediaFormat(0, "PCMU", 8000, 1, null);
            case 3 -> new MediaFormat(3, "GSM", 8000, 1, null);
            case 4 -> new MediaFormat(4, "G723", 8000, 1, null);
            case 5 -> new MediaFormat(5, "DVI4", 8000, 1, null);
            case 6 -> new MediaFormat(6, "DVI4", 16000, 1, null);
            case 7 -> new MediaFormat(7, "LPC", 8000, 1, null);
            case 8 -> new MediaFormat(8, "PCMA", 8000, 1, null);
            case 9 -> new MediaFormat(9, "G722", 8000, 1, null);
            case 10 -> new MediaFormat(10, "L16", 44100, 2, null);
            case 11 -> new MediaFormat(11, "L16", 44100, 1, null);
            case 12 -> new MediaFormat(12, "QCELP", 8000, 1, null);
            case 13 -> new MediaFormat(13, "CN", 8000, 1, null);
            case 14 -> new MediaFormat(14, "MPA", 90000, 1, null);
            case 15 -> new MediaFormat(15, "G728", 8000, 1, null);
            case 16 -> new MediaFormat(16, "DVI4", 11025, 1, null);
            case 17 -> new MediaFormat(17, "DVI4", 22050, 1, null);
            case 18 -> new MediaFormat(18, "G729", 8000, 1, null);
            default -> null;
        };
    }

    /**
     * Parses the value of an {@code a=rtpmap} attribute: {@code <pt> <encoding>/<clock>[/<channels>]}.
     *
     * @throws IllegalArgumentException when it is malformed
     */
    public static MediaFormat parseRtpmap(String value, String fmtp) {
        String v = value.strip();
        int sp = v.indexOf(' ');
        if (sp < 0) {
            throw new IllegalArgumentException("rtpmap without encoding: " + value);
        }
        try {
            int pt = Integer.parseInt(v.substring(0, sp));
            String[] parts = v.substring(sp + 1).strip().split("/");
            if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
                throw new IllegalArgumentException("rtpmap: " + value);
            }
            int clock = Integer.parseInt(parts[1]);
            int ch = parts.length == 3 ? Integer.parseInt(parts[2]) : 1;
            return new MediaFormat(pt, parts[0], clock, ch, fmtp);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rtpmap: " + value, e);
        }
    }

    /** The {@code a=rtpmap} value: {@code <pt> <encoding>/<clock>[/<channels>]}. */
    public String rtpmap() {
        return payloadType + " " + encoding + "/" + clockRate + (channels > 1 ? "/" + channels : "");
    }

    /** True when it names the same format (encoding case-insensitive, clock, channels). */
    public boolean sameFormat(String otherEncoding, int otherClock, int otherChannels) {
        return encoding.toLowerCase(Locale.ROOT).equals(otherEncoding.toLowerCase(Locale.ROOT))
                && clockRate == otherClock && channels == otherChannels;
    }
}
