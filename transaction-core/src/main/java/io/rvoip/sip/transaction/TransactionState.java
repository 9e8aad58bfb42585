package io.rvoip.sip.transaction;

/**
 * The states of the four transaction state machines (RFC 3261 Figures 5–8, with the Accepted
 * state of RFC 6026). Each machine uses the subset its figure draws.
 */
public enum TransactionState {
    /** INVITE client: request sent, no response yet. */
    CALLING,
    /** Non-INVITE client and server: request sent / received, no response yet. */
    TRYING,
    /** A provisional response has been received or sent. */
    PROCEEDING,
    /** RFC 6026: a 2xx to INVITE was received or sent; retransmissions absorbed. */
    ACCEPTED,
    /** A final (non-2xx for INVITE) response was received or sent; retransmissions absorbed. */
    COMPLETED,
    /** INVITE server: the ACK for a non-2xx final response arrived. */
    CONFIRMED,
    /** Done; the transaction is removed from every table. */
    TERMINATED
}
