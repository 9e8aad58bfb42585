package io.rvoip.sip.dialog;

import io.rvoip.infra.time.Timeout;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transaction.ServerTransaction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The implicit subscription a REFER we accepted creates — the {@code refer} event package
 * (RFC 3515 §2.4.4): we tell the referrer how the referenced request goes with NOTIFYs carrying
 * {@code message/sipfrag} status lines — 100 Trying at once, then the final status, which ends
 * the subscription. It lasts {@value #DURATION} s unless the referrer refreshes it with a
 * SUBSCRIBE ({@code Event: refer;id=<CSeq of the REFER>}, answered 200 and a NOTIFY with the
 * latest status); unrefreshed, it ends with {@code terminated;reason=timeout}. With
 * {@code Refer-Sub: false} (RFC 4488) there is no subscription and {@link #notify(int, String)}
 * sends nothing.
 */
public final class ReferSubscription {
    /** The duration of the implicit subscription, seconds. */
    public static final long DURATION = 180;

    private final DialogLayer layer;
    private final Dialog dialog;
    private final SipRequest refer;
    private final boolean subscribed;
    private final long id;
    // on the dialog's shard
    private boolean terminated;
    private int lastStatus = 100;
    private String lastReason = "Trying";
    private long expiresAtNanos;
    private Timeout expiry;

    ReferSubscription(DialogLayer layer, Dialog dialog, SipRequest refer, boolean subscribed) {
        this.layer = layer;
        this.dialog = dialog;
        this.refer = refer;
        this.subscribed = subscribed;
        this.id = refer.cseq().seq();
    }

    /** On the shard: registers the subscription in its dialog and starts its expiry. */
    void start() {
        if (!subscribed) {
            return;
        }
        if (dialog.refers == null) {
            dialog.refers = new java.util.HashMap<>();
        }
        dialog.refers.put(id, this);
        restart(DURATION);
    }

    private void restart(long seconds) {
        if (expiry != null) {
            expiry.cancel();
        }
        expiresAtNanos = layer.scheduler().clock().nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        expiry = layer.scheduler().schedule(dialog.callId(), seconds, TimeUnit.SECONDS, () -> {
            if (!terminated) {
                sendOnShard(lastStatus, lastReason, "timeout");
            }
        });
    }

    void stop() {
        if (expiry != null) {
            expiry.cancel();
        }
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
     * a final status (200 and above) terminates the subscription. Callable from any thread.
     *
     * @return the NOTIFY's final response, or a completed null when nothing is sent (no
     *         subscription, or it already ended)
     */
    public CompletableFuture<SipResponse> notify(int status, String reason) {
        CompletableFuture<SipResponse> result = new CompletableFuture<>();
        layer.onShard(dialog, () -> {
            CompletableFuture<SipResponse> sent = sendOnShard(status, reason, status >= 200 ? "noresource" : null);
            sent.whenComplete((r, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(r);
                }
            });
        });
        return result;
    }

    private CompletableFuture<SipResponse> sendOnShard(int status, String reason, String endReason) {
        if (!subscribed || terminated || dialog.state() == DialogState.TERMINATED) {
            return CompletableFuture.completedFuture(null);
        }
        lastStatus = status;
        lastReason = reason;
        String state;
        if (endReason != null) {
            terminated = true;
            stop();
            if (dialog.refers != null) {
                dialog.refers.remove(id);
            }
            state = "terminated;reason=" + endReason;
        } else {
            long left = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(expiresAtNanos - layer.scheduler().clock().nanoTime()));
            state = "active;expires=" + left;
        }
        byte[] frag = ("SIP/2.0 " + status + " " + reason + "\r\n").getBytes(StandardCharsets.UTF_8);
        SipRequest notify = layer.createRequest(dialog, SipMethod.NOTIFY)
                .set("Event", "refer;id=" + id)
                .set("Subscription-State", state)
                .body(MediaType.MESSAGE_SIPFRAG, frag)
                .build();
        return layer.send(dialog, notify);
    }

    /** On the shard: a SUBSCRIBE refreshing (or ending, with Expires 0) this subscription. */
    void refresh(ServerTransaction tx, SipRequest subscribe) {
        Long asked;
        try {
            asked = subscribe.get(SipHeaders.EXPIRES);
        } catch (RuntimeException e) {
            layer.reply(tx, SipResponse.forRequest(subscribe, StatusCode.BAD_REQUEST).reasonPhrase("Bad Expires").build());
            return;
        }
        long granted = Math.min(asked == null ? DURATION : asked, DURATION);
        layer.reply(tx, SipResponse.forRequest(subscribe, StatusCode.OK).contact(dialog.localContact())
                .set(SipHeaders.EXPIRES, granted).build());
        if (granted == 0) {
            sendOnShard(lastStatus, lastReason, "timeout").exceptionally(x -> null);
        } else {
            restart(granted);
            sendOnShard(lastStatus, lastReason, null).exceptionally(x -> null);
        }
    }
}
