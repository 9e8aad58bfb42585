package io.rvoip.sip.sdp;

import java.util.Objects;

/**
 * {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]} (RFC 8285 §8).
 *
 * @param id 1..14 (one-byte) or 1..255 (two-byte headers)
 * @param direction the direction, or null
 * @param uri the extension URI
 * @param attributes extension attributes, or null
 */
public record ExtMap(int id, String direction, String uri, String attributes) {

    /** Validates presence. */
    public ExtMap {
        Objects.requireNonNull(uri, "uri");
    }

    /** Parses the attribute value. */
    public static ExtMap parse(String v) {
        String[] p = SdpValues.split(v, 2, "extmap");
        String idPart = p[0];
        String dir = null;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            dir = idPart.substring(slash + 1);
            idPart = idPart.substring(0, slash);
        }
        int id = (int) SdpValues.number(idPart, 4095, "extmap id");
        String attrs = p.length > 2 ? String.join(" ", java.util.Arrays.copyOfRange(p, 2, p.length)) : null;
        return new ExtMap(id, dir, p[1], attrs);
    }

    @Override
    public String toString() {
        return id + (direction == null ? "" : "/" + direction) + " " + uri + (attributes == null ? "" : " " + attributes);
    }
}
