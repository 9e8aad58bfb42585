package io.rvoip.sip.transaction;

/** A client transaction's Timer B or F fired: no final response came (RFC 3261 §17.1.1.2, §17.1.2.2). */
public final class TransactionTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TransactionTimeoutException(String message) {
        super(message);
    }
}
