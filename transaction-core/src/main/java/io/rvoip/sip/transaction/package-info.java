/**
 * SIP transactions (RFC 3261 §17 with RFC 6026): the INVITE and non-INVITE client and server
 * state machines, their timers on the infra-common scheduler, matching, and the
 * {@link io.rvoip.sip.transaction.TransactionEvent}s published to the TU.
 */
package io.rvoip.sip.transaction;
