package io.rvoip.sip.dialog.registration;

import io.rvoip.infra.event.Event;

/** What a {@link Registration} reports, on the bus, routed by address-of-record. */
public sealed interface RegistrationEvent extends Event {
    /** The address-of-record. */
    String aor();

    @Override
    default Object routingKey() {
        return aor();
    }

    /** Registered (or refreshed) for {@code expires} seconds granted by the registrar. */
    record Registered(String aor, long expires) implements RegistrationEvent {
    }

    /** A refresh is being sent. */
    record Refreshing(String aor) implements RegistrationEvent {
    }

    /** The REGISTER failed ({@code status} 0 for a timeout or transport error); a retry is scheduled. */
    record Failed(String aor, int status, String reason) implements RegistrationEvent {
    }

    /** Unregistered (Expires 0 accepted, or given up). */
    record Unregistered(String aor) implements RegistrationEvent {
    }
}
