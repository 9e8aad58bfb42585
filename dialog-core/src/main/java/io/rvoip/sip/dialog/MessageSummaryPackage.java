package io.rvoip.sip.dialog;

import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.uri.Uri;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code message-summary} package (RFC 3842, message waiting indication): per mailbox the
 * new and old voice messages, sent as {@code application/simple-message-summary}. Update a
 * mailbox with {@link #set}, then call {@link DialogLayer#notifyChanged(String, Uri)}.
 */
public final class MessageSummaryPackage implements EventPackage {
    /** The body type of RFC 3842. */
    public static final MediaType TYPE = MediaType.of("application", "simple-message-summary");

    private record Box(int newMessages, int oldMessages) {
    }

    private final Map<String, Box> boxes = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "message-summary";
    }

    /** Sets the counts of a mailbox (keyed by the subscribed URI's canonical form). */
    public void set(Uri mailbox, int newMessages, int oldMessages) {
        boxes.put(key(mailbox), new Box(newMessages, oldMessages));
    }

    private static String key(Uri uri) {
        return io.rvoip.sip.dialog.registration.Registrar.canonical(uri);
    }

    @Override
    public MediaType contentType() {
        return TYPE;
    }

    @Override
    public Notification state(Uri resource, long version) {
        Box b = boxes.getOrDefault(key(resource), new Box(0, 0));
        String body = "Messages-Waiting: " + (b.newMessages() > 0 ? "yes" : "no") + "\r\n"
                + "Message-Account: " + resource + "\r\n"
                + "Voice-Message: " + b.newMessages() + "/" + b.oldMessages() + "\r\n";
        return new Notification(TYPE, body.getBytes(StandardCharsets.US_ASCII));
    }
}
