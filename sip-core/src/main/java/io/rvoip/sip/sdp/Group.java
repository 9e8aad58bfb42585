package io.rvoip.sip.sdp;

import java.util.List;
import java.util.Objects;

/**
 * {@code a=group:<semantics> <mid>...} (RFC 5888 §5), e.g. {@code BUNDLE audio video} (RFC 9143).
 *
 * @param semantics e.g. {@code BUNDLE}, {@code LS}
 * @param mids the identification tags
 */
public record Group(String semantics, List<String> mids) {

    /** Copies the list. */
    public Group {
        Objects.requireNonNull(semantics, "semantics");
        mids = List.copyOf(mids);
    }

    /** Parses the attribute value. */
    public static Group parse(String v) {
        String[] p = SdpValues.split(v, 1, "group");
        return new Group(p[0], List.of(java.util.Arrays.copyOfRange(p, 1, p.length)));
    }

    @Override
    public String toString() {
        return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
    }
}
