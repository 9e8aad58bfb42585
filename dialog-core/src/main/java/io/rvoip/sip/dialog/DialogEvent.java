package io.rvoip.sip.dialog;

import io.rvoip.infra.event.Event;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transaction.ServerTransaction;

/**
 * What the dialog layer tells session-core and applications, on the bus, routed by Call-ID
 * (delivered on the Call-ID's shard to shard subscribers).
 */
public sealed interface DialogEvent extends Event {
    /** The Call-ID, the routing key. */
    String callId();

    @Override
    default Object routingKey() {
        return callId();
    }

    /**
     * A request that passed the UAS core's checks and is not handled by the layer itself: a new
     * INVITE (answer it with {@link DialogLayer#respond}), a re-INVITE, INFO, UPDATE, OPTIONS,
     * MESSAGE… {@code dialog} is null outside a dialog.
     */
    record RequestReceived(ServerTransaction transaction, SipRequest request, Dialog dialog) implements DialogEvent {
        @Override
        public String callId() {
            return request.callId();
        }
    }

    /**
     * A dialog was created or advanced by a provisional response (UAC: received, UAS: sent).
     * When a reliable 1xx carries the offer of our INVITE without body, the application answers
     * it with {@link DialogLayer#prack}.
     */
    record Early(Dialog dialog, SipResponse response) implements DialogEvent {
        @Override
        public String callId() {
            return dialog.callId();
        }
    }

    /** A dialog was confirmed by a 2xx. For the UAS this is when the ACK arrived. */
    record Confirmed(Dialog dialog, SipResponse response) implements DialogEvent {
        @Override
        public String callId() {
            return dialog.callId();
        }
    }

    /**
     * A PRACK acknowledged one of our reliable provisional responses (RFC 3262); it was answered
     * 200 by the layer. It may carry an SDP offer or answer.
     */
    record PrackReceived(Dialog dialog, SipRequest prack) implements DialogEvent {
        @Override
        public String callId() {
            return dialog.callId();
        }
    }

    /** The ACK for our 2xx arrived (it may carry the SDP answer). */
    record AckReceived(Dialog dialog, SipRequest ack) implements DialogEvent {
        @Override
        public String callId() {
            return dialog.callId();
        }
    }

    /** The final response to a request we sent in the dialog (also completes the future {@code send} returned). */
    record ResponseReceived(Dialog dialog, SipRequest request, SipResponse response) implements DialogEvent {
        @Override
        public String callId() {
            return dialog.callId();
        }
    }

    /**
     * A session refresh is due (RFC 4028) and the peer does not take UPDATE: send a re-INVITE
     * with the current session description, or the session will expire.
     */
    record SessionRefreshDue(Dialog dialog) implements DialogEvent {
        @Override
        public String callId() {
            return dialog.callId();
        }
    }

    /**
     * The peer asks us to send a request to {@code referTo} (RFC 3515): a blind or attended
     * transfer. The REFER was answered 202; report progress through {@code subscription}.
     */
    record ReferReceived(Dialog dialog, SipRequest refer, io.rvoip.sip.header.Address referTo,
                         ReferSubscription subscription) implements DialogEvent {
        @Override
        public String callId() {
            return dialog.callId();
        }
    }

    /**
     * A NOTIFY about a REFER we sent: the status of the referenced request ({@code status}, from
     * the {@code message/sipfrag} body) and whether the subscription ended.
     */
    record ReferProgress(Dialog dialog, int status, String reason, boolean terminated) implements DialogEvent {
        @Override
        public String callId() {
            return dialog.callId();
        }
    }

    /**
     * A NOTIFY of a subscription we made (RFC 6665), answered 200 by the layer. A
     * {@code terminated} state ends the dialog (a {@link Terminated} follows); {@code dialog} is
     * null for a terminated NOTIFY that arrived before any other (it creates no dialog,
     * RFC 6665 §4.4.1).
     *
     * @param subscription the {@link DialogLayer#subscribe} handle the NOTIFY belongs to
     */
    record NotifyReceived(OutgoingSubscription subscription, Dialog dialog, io.rvoip.sip.header.EventHeader event,
                          io.rvoip.sip.header.SubscriptionState state, SipRequest request) implements DialogEvent {
        @Override
        public String callId() {
            return request.callId();
        }
    }

    /**
     * A subscriber created or refreshed a subscription to one of our event packages (the layer
     * answered 200 and sent the NOTIFY); {@code expires} 0 is an unsubscription.
     */
    record SubscriptionReceived(Dialog dialog, SipRequest subscribe, long expires) implements DialogEvent {
        @Override
        public String callId() {
            return dialog.callId();
        }
    }

    /** A target-refresh request or its 2xx changed the remote target. */
    record TargetRefreshed(Dialog dialog) implements DialogEvent {
        @Override
        public String callId() {
            return dialog.callId();
        }
    }

    /** The dialog ended; {@code reason} says why (BYE received, BYE sent, no ACK, failure…). */
    record Terminated(Dialog dialog, String reason) implements DialogEvent {
        @Override
        public String callId() {
            return dialog.callId();
        }
    }
}
