package io.rvoip.sip.message;

/**
 * A SIP response status code with its default reason phrase: an open registry (constants for
 * the codes of RFC 3261 and common extensions, {@link #valueOf(int)} for any 100–699).
 */
public final class StatusCode implements Comparable<StatusCode> {
    /** The constants by code − 100: filled by the static initialiser, read-only after it (no boxing, no hashing). */
    private static final StatusCode[] KNOWN = new StatusCode[600];

    public static final StatusCode TRYING = known(100, "Trying");
    public static final StatusCode RINGING = known(180, "Ringing");
    public static final StatusCode CALL_IS_BEING_FORWARDED = known(181, "Call Is Being Forwarded");
    public static final StatusCode QUEUED = known(182, "Queued");
    public static final StatusCode SESSION_PROGRESS = known(183, "Session Progress");
    public static final StatusCode EARLY_DIALOG_TERMINATED = known(199, "Early Dialog Terminated");
    public static final StatusCode OK = known(200, "OK");
    public static final StatusCode ACCEPTED = known(202, "Accepted");
    public static final StatusCode NO_NOTIFICATION = known(204, "No Notification");
    public static final StatusCode MULTIPLE_CHOICES = known(300, "Multiple Choices");
    public static final StatusCode MOVED_PERMANENTLY = known(301, "Moved Permanently");
    public static final StatusCode MOVED_TEMPORARILY = known(302, "Moved Temporarily");
    public static final StatusCode USE_PROXY = known(305, "Use Proxy");
    public static final StatusCode ALTERNATIVE_SERVICE = known(380, "Alternative Service");
    public static final StatusCode BAD_REQUEST = known(400, "Bad Request");
    public static final StatusCode UNAUTHORIZED = known(401, "Unauthorized");
    public static final StatusCode PAYMENT_REQUIRED = known(402, "Payment Required");
    public static final StatusCode FORBIDDEN = known(403, "Forbidden");
    public static final StatusCode NOT_FOUND = known(404, "Not Found");
    public static final StatusCode METHOD_NOT_ALLOWED = known(405, "Method Not Allowed");
    public static final StatusCode NOT_ACCEPTABLE = known(406, "Not Acceptable");
    public static final StatusCode PROXY_AUTHENTICATION_REQUIRED = known(407, "Proxy Authentication Required");
    public static final StatusCode REQUEST_TIMEOUT = known(408, "Request Timeout");
    public static final StatusCode GONE = known(410, "Gone");
    public static final StatusCode CONDITIONAL_REQUEST_FAILED = known(412, "Conditional Request Failed");
    public static final StatusCode REQUEST_ENTITY_TOO_LARGE = known(413, "Request Entity Too Large");
    public static final StatusCode REQUEST_URI_TOO_LONG = known(414, "Request-URI Too Long");
    public static final StatusCode UNSUPPORTED_MEDIA_TYPE = known(415, "Unsupported Media Type");
    public static final StatusCode UNSUPPORTED_URI_SCHEME = known(416, "Unsupported URI Scheme");
    public static final StatusCode BAD_EXTENSION = known(420, "Bad Extension");
    public static final StatusCode EXTENSION_REQUIRED = known(421, "Extension Required");
    public static final StatusCode SESSION_INTERVAL_TOO_SMALL = known(422, "Session Interval Too Small");
    public static final StatusCode INTERVAL_TOO_BRIEF = known(423, "Interval Too Brief");
    public static final StatusCode TEMPORARILY_UNAVAILABLE = known(480, "Temporarily Unavailable");
    public static final StatusCode CALL_DOES_NOT_EXIST = known(481, "Call/Transaction Does Not Exist");
    public static final StatusCode LOOP_DETECTED = known(482, "Loop Detected");
    public static final StatusCode TOO_MANY_HOPS = known(483, "Too Many Hops");
    public static final StatusCode ADDRESS_INCOMPLETE = known(484, "Address Incomplete");
    public static final StatusCode AMBIGUOUS = known(485, "Ambiguous");
    public static final StatusCode BUSY_HERE = known(486, "Busy Here");
    public static final StatusCode REQUEST_TERMINATED = known(487, "Request Terminated");
    public static final StatusCode NOT_ACCEPTABLE_HERE = known(488, "Not Acceptable Here");
    public static final StatusCode BAD_EVENT = known(489, "Bad Event");
    public static final StatusCode REQUEST_PENDING = known(491, "Request Pending");
    public static final StatusCode UNDECIPHERABLE = known(493, "Undecipherable");
    public static final StatusCode SERVER_INTERNAL_ERROR = known(500, "Server Internal Error");
    public static final StatusCode NOT_IMPLEMENTED = known(501, "Not Implemented");
    public static final StatusCode BAD_GATEWAY = known(502, "Bad Gateway");
    public static final StatusCode SERVICE_UNAVAILABLE = known(503, "Service Unavailable");
    public static final StatusCode SERVER_TIMEOUT = known(504, "Server Time-out");
    public static final StatusCode VERSION_NOT_SUPPORTED = known(505, "Version Not Supported");
    public static final StatusCode MESSAGE_TOO_LARGE = known(513, "Message Too Large");
    public static final StatusCode BUSY_EVERYWHERE = known(600, "Busy Everywhere");
    public static final StatusCode DECLINE = known(603, "Decline");
    public static final StatusCode DOES_NOT_EXIST_ANYWHERE = known(604, "Does Not Exist Anywhere");
    public static final StatusCode NOT_ACCEPTABLE_ANYWHERE = known(606, "Not Acceptable");

    private final int code;
    private final String reasonPhrase;

    private StatusCode(int code, String reasonPhrase) {
        this.code = code;
        this.reasonPhrase = reasonPhrase;
    }

    private static StatusCode known(int code, String reason) {
        StatusCode s = new StatusCode(code, reason);
        KNOWN[code - 100] = s;
        return s;
    }

    /**
     * The status {@code code}: a constant, or a new code whose default reason phrase is its
     * class's ("Unknown 4xx").
     *
     * @throws IllegalArgumentException if {@code code} is outside 100..699
     */
    public static StatusCode valueOf(int code) {
        if (code < 100 || code > 699) {
            throw new IllegalArgumentException("status code out of range: " + code);
        }
        StatusCode s = KNOWN[code - 100];
        return s != null ? s : new StatusCode(code, "Unknown " + (code / 100) + "xx");
    }

    /** The three-digit code. */
    public int code() {
        return code;
    }

    /** The default reason phrase. */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /** 1xx. */
    public boolean isProvisional() {
        return code < 200;
    }

    /** 2xx. */
    public boolean isSuccess() {
        return code >= 200 && code < 300;
    }

    /** 200..699. */
    public boolean isFinal() {
        return code >= 200;
    }

    /** The class of the code, 1 to 6. */
    public int statusClass() {
        return code / 100;
    }

    @Override
    public int compareTo(StatusCode o) {
        return Integer.compare(code, o.code);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof StatusCode s && s.code == code);
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return code + " " + reasonPhrase;
    }
}
