package io.rvoip.sip.header;

import io.rvoip.sip.message.SipMethod;
import java.util.Objects;

/**
 * The RAck value (RFC 3262 §7.2): the RSeq and CSeq of the reliable provisional response
 * being acknowledged.
 *
 * @param rseq the response's RSeq
 * @param cseq the response's CSeq number
 * @param method the response's CSeq method
 */
public record RAck(long rseq, long cseq, SipMethod method) {

    /** Validates presence. */
    public RAck {
        Objects.requireNonNull(method, "method");
    }

    @Override
    public String toString() {
        return rseq + " " + cseq + " " + method;
    }
}
