package io.rvoip.sip.transaction;

import io.rvoip.infra.internal.KeyHash;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipMethod;
import java.util.Locale;
import java.util.Objects;

/**
 * What identifies a transaction (RFC 3261 §17.1.3, §17.2.3): the branch of the top Via, its
 * sent-by (servers only: a client matches its own branch), and the method — with ACK mapped to
 * INVITE on the server side so the ACK for a non-2xx final response finds its INVITE. CANCEL
 * keeps its own method: it is a transaction of its own.
 *
 * @param branch the branch, lower case (branches compare case-insensitively)
 * @param sentBy host:port of the top Via for server transactions, empty for client ones
 * @param method the method the transaction was created for
 */
public record TransactionKey(String branch, String sentBy, SipMethod method) {

    /** Validates presence. */
    public TransactionKey {
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(sentBy, "sentBy");
        Objects.requireNonNull(method, "method");
    }

    // equals and hashCode written out: the generated ones go through an invokedynamic bootstrap
    // that the JIT does not always inline, and every message looks a key up

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionKey k && branch.equals(k.branch) && sentBy.equals(k.sentBy)
                && method.equals(k.method);
    }

    /**
     * Branches come from peers: with String's fixed hash a peer could send thousands whose keys
     * collide, turning the transaction table's lookups linear ({@link KeyHash}).
     */
    @Override
    public int hashCode() {
        return KeyHash.mix(KeyHash.of(branch), sentBy) * 31 + method.hashCode();
    }

    /** The key of a client transaction that sent a request with this top Via and method. */
    public static TransactionKey client(Via top, SipMethod method) {
        return new TransactionKey(top.branch().toLowerCase(Locale.ROOT), "", method);
    }

    /** The key of the server transaction a request with this top Via and method belongs to. */
    public static TransactionKey server(Via top, SipMethod method) {
        SipMethod m = method.equals(SipMethod.ACK) ? SipMethod.INVITE : method;
        return new TransactionKey(top.branch().toLowerCase(Locale.ROOT),
                top.sentBy().toLowerCase(Locale.ROOT), m);
    }
}
