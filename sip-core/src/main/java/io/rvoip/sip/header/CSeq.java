package io.rvoip.sip.header;

import io.rvoip.sip.message.SipMethod;
import java.util.Objects;

/**
 * The CSeq value (RFC 3261 §20.16): a sequence number below 2^32 and a method.
 *
 * @param seq the sequence number
 * @param method the method
 */
public record CSeq(long seq, SipMethod method) {

    /** Validates the range. */
    public CSeq {
        Objects.requireNonNull(method, "method");
        if (seq < 0 || seq > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("CSeq out of range: " + seq);
        }
    }

    @Override
    public String toString() {
        return seq + " " + method;
    }
}
