package io.rvoip.sip.dialog;

import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The implicit subscription a REFER we accepted creates (RFC 3515 §2.4.4): we tell the referrer
 * how the referenced request goes with NOTIFYs carrying {@code message/sipfrag} status lines —
 * 100 Trying at once, then the final status, which ends the subscription. With
 * {@code Refer-Sub: false} (RFC 4488) there is no subscription and {@link #notify(int, String)}
 * sends nothing.
 */
public final class ReferSubscription {
    private final DialogLayer layer;
    private final Dialog dialog;
    private final SipRequest refer;
    private final boolean subscribed;
    private volatile boolean terminated;

    ReferSubscription(DialogLayer layer, Dialog dialog, SipRequest refer, boolean subscribed) {
        this.layer = layer;
        this.dialog = dialog;
        this.refer = refer;
        this.subscribed = subscribed;
    }

    /** The REFER. */
    public SipRequest refer() {
        return refer;
    }

    /** The dialog the REFER came in. */
    public Dialog dialog() {
        return dialog;
    }

    /** False when the referrer asked for no NOTIFYs ({@code Refer-Sub: false}). */
    public boolean isSubscribed() {
        return subscribed;
    }

    /**
     * Reports the referenced request's status ({@code 100}, {@code 180}, {@code 200}, {@code 486}…);
     * a final status (200 and above) terminates the subscription.
     *
     * @return the NOTIFY's final response, or a completed null when nothing is sent
     */
    public CompletableFuture<SipResponse> notify(int status, String reason) {
        if (!subscribed || terminated) {
            return CompletableFuture.completedFuture(null);
        }
        boolean last = status >= 200;
        terminated = last;
        byte[] frag = ("SIP/2.0 " + status + " " + reason + "\r\n").getBytes(StandardCharsets.UTF_8);
        SipRequest notify = layer.createRequest(dialog, SipMethod.NOTIFY)
                .set("Event", "refer;id=" + refer.cseq().seq())
                .set("Subscription-State", last ? "terminated;reason=noresource" : "active;expires=60")
                .body(MediaType.MESSAGE_SIPFRAG, frag)
                .build();
        return layer.send(dialog, notify);
    }
}
