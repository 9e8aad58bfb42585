package io.rvoip.sip.dialog;

import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code dialog} event package (RFC 4235), minimal form: per monitored entity (an address
 * of record, the SUBSCRIBE's Request-URI) the dialogs it is in, each with its identifiers,
 * direction and state, sent as full-state {@code application/dialog-info+xml} documents whose
 * version counts the subscription's NOTIFYs. This is what phones use for busy-lamp fields.
 * Keep it current with {@link #put} and {@link #remove}, then call
 * {@link DialogLayer#notifyChanged(String, Uri)}. Not included: partial state, filters, and the
 * optional participant elements other than the remote identity.
 */
public final class DialogInfoPackage implements EventPackage {
    /** The body type of RFC 4235. */
    public static final MediaType TYPE = MediaType.of("application", "dialog-info+xml");

    /** Dialog states of RFC 4235 §3.7.1. */
    public enum State {
        /** A request was sent, no response yet. */
        TRYING,
        /** A 1xx without To tag. */
        PROCEEDING,
        /** An early dialog. */
        EARLY,
        /** A confirmed dialog. */
        CONFIRMED,
        /** Ended. */
        TERMINATED;

        String xml() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One dialog of an entity.
     *
     * @param id unique per entity (RFC 4235 §4.1.2)
     * @param initiator true when the entity sent the dialog-creating request
     * @param remoteIdentity the other party, or null
     */
    public record DialogInfo(String id, String callId, String localTag, String remoteTag, boolean initiator,
                             State state, Uri remoteIdentity) {
        /** Validates presence. */
        public DialogInfo {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
        }

        /** The entry for a dialog of the {@link DialogLayer}, its state mapped to RFC 4235's. */
        public static DialogInfo of(Dialog d) {
            State s = switch (d.state()) {
                case EARLY -> State.EARLY;
                case CONFIRMED -> State.CONFIRMED;
                case TERMINATED -> State.TERMINATED;
            };
            return new DialogInfo(d.callId() + ";" + d.id().localTag(), d.callId(), d.id().localTag(), d.id().remoteTag(),
                    d.role() == Dialog.Role.UAC, s, d.remoteUri().uri());
        }
    }

    private final Map<String, Map<String, DialogInfo>> entities = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "dialog";
    }

    @Override
    public MediaType contentType() {
        return TYPE;
    }

    /** Adds or replaces (by id) a dialog of {@code entity}. */
    public void put(Uri entity, DialogInfo dialog) {
        entities.compute(key(entity), (k, m) -> {
            Map<String, DialogInfo> copy = m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m);
            copy.put(dialog.id(), dialog);
            return copy;
        });
    }

    /** Forgets a dialog of {@code entity}. */
    public void remove(Uri entity, String id) {
        entities.computeIfPresent(key(entity), (k, m) -> {
            Map<String, DialogInfo> copy = new LinkedHashMap<>(m);
            copy.remove(id);
            return copy.isEmpty() ? null : copy;
        });
    }

    /** The dialogs of {@code entity}. */
    public List<DialogInfo> dialogs(Uri entity) {
        Map<String, DialogInfo> m = entities.get(key(entity));
        return m == null ? List.of() : List.copyOf(m.values());
    }

    private static String key(Uri uri) {
        return uri instanceof SipUri ? io.rvoip.sip.dialog.registration.Registrar.canonical(uri) : uri.toString();
    }

    @Override
    public Notification state(Uri resource, long version) {
        StringBuilder x = new StringBuilder(256);
        x.append("<?xml version=\"1.0\"?>\r\n<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"")
                .append(version).append("\" state=\"full\" entity=\"").append(escape(resource.toString())).append("\">\r\n");
        for (DialogInfo d : dialogs(resource)) {
            x.append("  <dialog id=\"").append(escape(d.id())).append('"');
            attribute(x, "call-id", d.callId());
            attribute(x, "local-tag", d.localTag());
            attribute(x, "remote-tag", d.remoteTag());
            x.append(" direction=\"").append(d.initiator() ? "initiator" : "recipient").append("\">\r\n");
            x.append("    <state>").append(d.state().xml()).append("</state>\r\n");
            if (d.remoteIdentity() != null) {
                x.append("    <remote><identity>").append(escape(d.remoteIdentity().toString())).append("</identity></remote>\r\n");
            }
            x.append("  </dialog>\r\n");
        }
        x.append("</dialog-info>\r\n");
        return new Notification(TYPE, x.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void attribute(StringBuilder x, String name, String value) {
        if (value != null) {
            x.append(' ').append(name).append("=\"").append(escape(value)).append('"');
        }
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
