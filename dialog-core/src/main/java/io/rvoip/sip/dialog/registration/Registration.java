package io.rvoip.sip.dialog.registration;

import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.Scheduler;
import io.rvoip.infra.time.Timeout;
import io.rvoip.sip.dialog.DialogLayer;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A registration client for one account (RFC 3261 §10.2): REGISTER with our Contact and the
 * requested Expires, Digest challenges answered through the dialog layer's credentials, the
 * registrar's granted expiry honoured and refreshed at its midpoint (or, with a margin,
 * that long before it but never before the midpoint), 423 answered with the registrar's Min-Expires, failures retried after
 * {@code retryAfter}, and {@link #unregister()} with Expires 0. One Call-ID for the life of the
 * registration, CSeq increasing (§10.2.4).
 *
 * <pre>{@code
 * Registration reg = Registration.start(dialogs, timers, bus, Registration.Account.builder(
 *         Address.parse("<sip:alice@example.com>"), Uri.parse("sip:example.com"),
 *         Address.parse("<sip:alice@192.0.2.10:5060>")).build());
 * ...
 * reg.unregister();
 * }</pre>
 */
public final class Registration {
    /** What to register. */
    public record Account(Address aor, Uri registrar, Address contact, long expires, Duration margin,
                          Duration retryAfter) {
        /** Checks the parts. */
        public Account {
            Objects.requireNonNull(aor, "aor");
            Objects.requireNonNull(registrar, "registrar");
            Objects.requireNonNull(contact, "contact");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        /** An account with 3600 s requested, refresh at the midpoint, retries after 60 s. */
        public static Account of(Address aor, Uri registrar, Address contact) {
            return new Account(aor, registrar, contact, 3600, null, Duration.ofSeconds(60));
        }

        /** The same account refreshing {@code margin} before expiry (never before the midpoint). */
        public Account withMargin(Duration margin) {
            return new Account(aor, registrar, contact, expires, margin, retryAfter);
        }

        /** The same account asking for another expiry. */
        public Account withExpires(long seconds) {
            return new Account(aor, registrar, contact, seconds, margin, retryAfter);
        }
    }

    /** Where a registration stands. */
    public enum State {
        /** REGISTER sent, no 2xx yet. */
        REGISTERING,
        /** Registered. */
        REGISTERED,
        /** The last attempt failed; a retry is scheduled. */
        FAILED,
        /** Unregistered. */
        UNREGISTERED
    }

    private final DialogLayer dialogs;
    private final Scheduler scheduler;
    private final EventBus bus;
    private final Account account;
    private final String aor;
    private final String callId = SipIds.newCallId();
    private final String fromTag = SipIds.newTag();
    private long cseq;
    private long requested;
    private State state = State.REGISTERING;
    private long granted;
    private Timeout timer;
    private boolean stopped;

    private Registration(DialogLayer dialogs, Scheduler scheduler, EventBus bus, Account account) {
        this.dialogs = dialogs;
        this.scheduler = scheduler;
        this.bus = bus;
        this.account = account;
        this.aor = Registrar.canonical(account.aor().uri());
        this.requested = account.expires();
    }

    /** Starts registering at once. */
    public static Registration start(DialogLayer dialogs, Scheduler scheduler, EventBus bus, Account account) {
        Registration r = new Registration(dialogs, scheduler, bus, account);
        r.send(r.requested, false);
        return r;
    }

    /** The current state. */
    public synchronized State state() {
        return state;
    }

    /** The expiry the registrar granted last, seconds (0 before). */
    public synchronized long grantedExpires() {
        return granted;
    }

    /** The canonical AOR. */
    public String aor() {
        return aor;
    }

    /** The Call-ID used for the life of this registration. */
    public String callId() {
        return callId;
    }

    private synchronized SipRequest build(long expires) {
        cseq++;
        return SipRequest.builder(SipMethod.REGISTER, account.registrar())
                .via(Via.of("UDP", "0.0.0.0", 0, SipIds.newBranch()))
                .maxForwards(70)
                .from(account.aor().withTag(fromTag))
                .to(account.aor())
                .callId(callId)
                .cseq(cseq)
                .contact(account.contact())
                .set(SipHeaders.EXPIRES, expires)
                .build();
    }

    private void send(long expires, boolean refresh) {
        if (refresh) {
            bus.publish(new RegistrationEvent.Refreshing(aor));
        }
        dialogs.request(build(expires)).whenComplete((resp, err) -> onResult(expires, resp, err));
    }

    private void onResult(long expires, SipResponse resp, Throwable err) {
        synchronized (this) {
            if (resp != null) {
                cseq = Math.max(cseq, resp.cseq().seq()); // auth retries used higher CSeqs
            }
            if (stopped && expires > 0) {
                return;
            }
        }
        if (err != null) {
            fail(0, String.valueOf(err.getMessage()));
            return;
        }
        int code = resp.statusCode();
        if (expires == 0) {
            synchronized (this) {
                state = State.UNREGISTERED;
                granted = 0;
            }
            bus.publish(new RegistrationEvent.Unregistered(aor));
            return;
        }
        if (code == 423) {
            Long min = readable(() -> resp.get(SipHeaders.MIN_EXPIRES)); // unreadable: fails, retried later
            if (min != null && min > expires) {
                synchronized (this) {
                    requested = min;
                }
                send(min, false);
                return;
            }
        }
        if (code / 100 != 2) {
            fail(code, resp.reasonPhrase());
            return;
        }
        long g = grantedFrom(resp, expires);
        long refreshIn;
        synchronized (this) {
            state = State.REGISTERED;
            granted = g;
            long midpoint = g * 500;
            refreshIn = account.margin() == null ? midpoint
                    : Math.max(midpoint, g * 1000 - account.margin().toMillis());
            schedule(Math.max(1000, refreshIn), () -> send(requested, true));
        }
        bus.publish(new RegistrationEvent.Registered(aor, g));
    }

    /**
     * The expiry a 2xx grants: our Contact's {@code expires}, else Expires, else what we asked for
     * (RFC 3261 §10.2.4). What cannot be read, or is no delta-seconds (0 to 2^32-1), counts as
     * absent, so a registrar's malformed answer never stops the refreshes.
     */
    private long grantedFrom(SipResponse resp, long asked) {
        List<Address> contacts = readable(() -> resp.getAll(SipHeaders.CONTACT));
        for (Address c : contacts == null ? List.<Address>of() : contacts) {
            if (sameUri(c.uri(), account.contact().uri())) {
                String e = c.param("expires");
                if (e != null) {
                    try {
                        long v = Long.parseLong(e.trim());
                        if (v >= 0 && v <= 0xFFFFFFFFL) {
                            return v;
                        }
                    } catch (NumberFormatException ignored) {
                        // not delta-seconds: as if absent
                    }
                }
                break;
            }
        }
        Long header = readable(() -> resp.get(SipHeaders.EXPIRES));
        return header != null ? header : asked;
    }

    /** {@code read}'s value, or null when the header cannot be parsed. */
    private static <T> T readable(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (io.rvoip.sip.parser.SipParseException e) {
            return null;
        }
    }

    private static boolean sameUri(Uri a, Uri b) {
        return a instanceof SipUri x && b instanceof SipUri y ? x.isEquivalentTo(y) : a.equals(b);
    }

    private void fail(int status, String reason) {
        synchronized (this) {
            state = State.FAILED;
            schedule(account.retryAfter().toMillis(), () -> send(requested, false));
        }
        bus.publish(new RegistrationEvent.Failed(aor, status, reason));
    }

    private void schedule(long millis, Runnable task) {
        if (timer != null) {
            timer.cancel();
        }
        timer = scheduler.schedule(aor, millis, TimeUnit.MILLISECONDS, () -> {
            synchronized (this) {
                if (stopped) {
                    return;
                }
            }
            task.run();
        });
    }

    /** Removes the binding (REGISTER with Expires 0) and stops refreshing; completes with the answer. */
    public CompletableFuture<SipResponse> unregister() {
        synchronized (this) {
            stopped = true;
            if (timer != null) {
                timer.cancel();
            }
        }
        CompletableFuture<SipResponse> out = new CompletableFuture<>();
        dialogs.request(build(0)).whenComplete((resp, err) -> {
            onResult(0, resp, err);
            if (err != null) {
                out.completeExceptionally(err);
            } else {
                out.complete(resp);
            }
        });
        return out;
    }
}
