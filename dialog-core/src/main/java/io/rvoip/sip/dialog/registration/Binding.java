package io.rvoip.sip.dialog.registration;

import io.rvoip.sip.header.Address;
import java.util.List;

/**
 * One registered contact of an address-of-record (RFC 3261 §10.3).
 *
 * @param aor        the canonical address-of-record ({@code sip:user@domain})
 * @param contact    the Contact as registered (its URI is where requests for the AOR go)
 * @param callId     Call-ID of the REGISTER that made or last refreshed it
 * @param cseq       CSeq number of that REGISTER
 * @param expiresAt  when it expires, milliseconds on the registrar's clock
 * @param q          preference 0..1 (1 when absent)
 * @param path       the Path of the REGISTER (RFC 3327), to route requests to the contact
 */
public record Binding(String aor, Address contact, String callId, long cseq, long expiresAt, double q,
                      List<Address> path) {
    /** Copies the path. */
    public Binding {
        path = List.copyOf(path);
    }

    /** Seconds left at {@code nowMillis} (0 when expired). */
    public long secondsLeft(long nowMillis) {
        return Math.max(0, (expiresAt - nowMillis + 999) / 1000);
    }
}
