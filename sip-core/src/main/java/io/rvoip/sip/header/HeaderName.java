package io.rvoip.sip.header;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A header field name: an open registry (Netty's {@code DnsResponseCode} pattern). Known
 * names are constants; {@link #valueOf(String)} maps any spelling (case-insensitive, compact
 * forms included) to the constant, and makes a new instance for an extension header.
 * Equality is case-insensitive on the full name.
 */
public final class HeaderName {
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle INTS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final Map<String, HeaderName> KNOWN = new HashMap<>();
    private static final HeaderName[] BY_COMPACT = new HeaderName[128];
    /** Open-addressing table over ASCII-case-folded names, for allocation-free lookup from bytes. */
    private static final HeaderName[] TABLE = new HeaderName[512];

    public static final HeaderName ACCEPT = known("Accept", (char) 0);
    public static final HeaderName ACCEPT_CONTACT = known("Accept-Contact", 'a');
    public static final HeaderName ACCEPT_ENCODING = known("Accept-Encoding", (char) 0);
    public static final HeaderName ACCEPT_LANGUAGE = known("Accept-Language", (char) 0);
    public static final HeaderName ALERT_INFO = known("Alert-Info", (char) 0);
    public static final HeaderName ALLOW = known("Allow", (char) 0);
    public static final HeaderName ALLOW_EVENTS = known("Allow-Events", 'u');
    public static final HeaderName AUTHENTICATION_INFO = known("Authentication-Info", (char) 0);
    public static final HeaderName AUTHORIZATION = known("Authorization", (char) 0);
    public static final HeaderName CALL_ID = known("Call-ID", 'i');
    public static final HeaderName CALL_INFO = known("Call-Info", (char) 0);
    public static final HeaderName CONTACT = known("Contact", 'm');
    public static final HeaderName CONTENT_DISPOSITION = known("Content-Disposition", (char) 0);
    public static final HeaderName CONTENT_ENCODING = known("Content-Encoding", 'e');
    public static final HeaderName CONTENT_LANGUAGE = known("Content-Language", (char) 0);
    public static final HeaderName CONTENT_LENGTH = known("Content-Length", 'l');
    public static final HeaderName CONTENT_TYPE = known("Content-Type", 'c');
    public static final HeaderName CSEQ = known("CSeq", (char) 0);
    public static final HeaderName DATE = known("Date", (char) 0);
    public static final HeaderName ERROR_INFO = known("Error-Info", (char) 0);
    public static final HeaderName EVENT = known("Event", 'o');
    public static final HeaderName EXPIRES = known("Expires", (char) 0);
    public static final HeaderName FROM = known("From", 'f');
    public static final HeaderName IDENTITY = known("Identity", 'y');
    public static final HeaderName IN_REPLY_TO = known("In-Reply-To", (char) 0);
    public static final HeaderName MAX_FORWARDS = known("Max-Forwards", (char) 0);
    public static final HeaderName MIME_VERSION = known("MIME-Version", (char) 0);
    public static final HeaderName MIN_EXPIRES = known("Min-Expires", (char) 0);
    public static final HeaderName MIN_SE = known("Min-SE", (char) 0);
    public static final HeaderName ORGANIZATION = known("Organization", (char) 0);
    public static final HeaderName P_ASSERTED_IDENTITY = known("P-Asserted-Identity", (char) 0);
    public static final HeaderName P_PREFERRED_IDENTITY = known("P-Preferred-Identity", (char) 0);
    public static final HeaderName PATH = known("Path", (char) 0);
    public static final HeaderName PRIORITY = known("Priority", (char) 0);
    public static final HeaderName PRIVACY = known("Privacy", (char) 0);
    public static final HeaderName PROXY_AUTHENTICATE = known("Proxy-Authenticate", (char) 0);
    public static final HeaderName PROXY_AUTHORIZATION = known("Proxy-Authorization", (char) 0);
    public static final HeaderName PROXY_REQUIRE = known("Proxy-Require", (char) 0);
    public static final HeaderName RACK = known("RAck", (char) 0);
    public static final HeaderName REASON = known("Reason", (char) 0);
    public static final HeaderName RECORD_ROUTE = known("Record-Route", (char) 0);
    public static final HeaderName REFER_TO = known("Refer-To", 'r');
    public static final HeaderName REFERRED_BY = known("Referred-By", 'b');
    public static final HeaderName REJECT_CONTACT = known("Reject-Contact", 'j');
    public static final HeaderName REPLACES = known("Replaces", (char) 0);
    public static final HeaderName REPLY_TO = known("Reply-To", (char) 0);
    public static final HeaderName REQUEST_DISPOSITION = known("Request-Disposition", 'd');
    public static final HeaderName REQUIRE = known("Require", (char) 0);
    public static final HeaderName RETRY_AFTER = known("Retry-After", (char) 0);
    public static final HeaderName ROUTE = known("Route", (char) 0);
    public static final HeaderName RSEQ = known("RSeq", (char) 0);
    public static final HeaderName SERVER = known("Server", (char) 0);
    public static final HeaderName SERVICE_ROUTE = known("Service-Route", (char) 0);
    public static final HeaderName SESSION_EXPIRES = known("Session-Expires", 'x');
    public static final HeaderName SIP_ETAG = known("SIP-ETag", (char) 0);
    public static final HeaderName SIP_IF_MATCH = known("SIP-If-Match", (char) 0);
    public static final HeaderName SUBJECT = known("Subject", 's');
    public static final HeaderName SUBSCRIPTION_STATE = known("Subscription-State", (char) 0);
    public static final HeaderName SUPPORTED = known("Supported", 'k');
    public static final HeaderName TIMESTAMP = known("Timestamp", (char) 0);
    public static final HeaderName TO = known("To", 't');
    public static final HeaderName UNSUPPORTED = known("Unsupported", (char) 0);
    public static final HeaderName USER_AGENT = known("User-Agent", (char) 0);
    public static final HeaderName VIA = known("Via", 'v');
    public static final HeaderName WARNING = known("Warning", (char) 0);
    public static final HeaderName WWW_AUTHENTICATE = known("WWW-Authenticate", (char) 0);

    private final String name;
    private final String lower;
    private final char compact;
    private final byte[] lowerBytes;
    /** The lower-case name as little-endian words, the last overlapping (names of 8 bytes or more). */
    private final long[] words;
    /**
     * Per word of {@link #words}, the case bit (0x20) in each byte that is a letter, so that
     * ORing it onto the bytes read folds letters only: a {@code '-'} must then be a {@code '-'},
     * and nothing else (CR, 0x0D, would fold to it) matches. So a match needs no earlier check
     * of the bytes.
     */
    private final long[] foldMasks;
    /** The first and last four bytes of the lower-case name, and their case bits (names of 4 to 7 bytes). */
    private final int head4;
    private final int tail4;
    private final int head4Fold;
    private final int tail4Fold;
    /**
     * Names of up to 16 bytes as two words with no branch on the length: the lower-case bytes
     * ({@code w0}, {@code w1}), their case bits ({@code f0}, {@code f1}, as in
     * {@link #foldMasks}), and which bytes are the name's ({@code k0}, {@code k1}).
     */
    private final long w0;
    private final long w1;
    private final long f0;
    private final long f1;
    private final long k0;
    private final long k1;
    /** {@code lower.hashCode()}, kept: message indexes hash every field name of every message. */
    private final int hash;
    private boolean known;
    /**
     * The typed header of this name in {@link SipHeaders}, or null. Written only by that class's
     * initializer, and read only through {@link SipHeaders#typeOf}, which runs after it.
     */
    HeaderType<?> type;

    /**
     * A name; {@code matchable} for the known names only, which the lookup table compares
     * message bytes with (an extension name, made per message, carries no match data).
     */
    private HeaderName(String name, char compact, boolean matchable) {
        this.name = name;
        this.lower = name.toLowerCase(Locale.ROOT);
        this.compact = compact;
        this.lowerBytes = lower.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        this.hash = lower.hashCode();
        if (!matchable) {
            this.words = null;
            this.foldMasks = null;
            this.head4 = this.tail4 = this.head4Fold = this.tail4Fold = 0;
            this.w0 = this.w1 = this.f0 = this.f1 = this.k0 = this.k1 = 0;
            return;
        }
        int len = lowerBytes.length;
        byte[] fold = new byte[len];
        for (int i = 0; i < len; i++) {
            fold[i] = (byte) (lowerBytes[i] >= 'a' && lowerBytes[i] <= 'z' ? 0x20 : 0);
        }
        if (len >= 8) {
            long[] w = new long[(len - 1) / 8 + 1];
            long[] m = new long[w.length];
            int k = 0;
            for (int i = 0; i + 8 < len; i += 8, k++) {
                w[k] = (long) LONGS.get(lowerBytes, i);
                m[k] = (long) LONGS.get(fold, i);
            }
            w[k] = (long) LONGS.get(lowerBytes, len - 8);
            m[k] = (long) LONGS.get(fold, len - 8);
            this.words = w;
            this.foldMasks = m;
        } else {
            this.words = null;
            this.foldMasks = null;
        }
        this.head4 = len >= 4 ? (int) INTS.get(lowerBytes, 0) : 0;
        this.tail4 = len >= 4 ? (int) INTS.get(lowerBytes, len - 4) : 0;
        this.head4Fold = len >= 4 ? (int) INTS.get(fold, 0) : 0;
        this.tail4Fold = len >= 4 ? (int) INTS.get(fold, len - 4) : 0;
        byte[] w16 = Arrays.copyOf(lowerBytes, 16);
        byte[] f16 = Arrays.copyOf(fold, 16);
        byte[] k16 = new byte[16];
        Arrays.fill(k16, 0, Math.min(len, 16), (byte) 0xff);
        this.w0 = (long) LONGS.get(w16, 0);
        this.w1 = (long) LONGS.get(w16, 8);
        this.f0 = (long) LONGS.get(f16, 0);
        this.f1 = (long) LONGS.get(f16, 8);
        this.k0 = (long) LONGS.get(k16, 0);
        this.k1 = (long) LONGS.get(k16, 8);
    }

    private static HeaderName known(String name, char compact) {
        if (!name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) {
            throw new ExceptionInInitializerError("a known header name is letters and '-': " + name); // see matches
        }
        HeaderName h = new HeaderName(name, compact, true);
        h.known = true;
        KNOWN.put(h.lower, h);
        if (compact != 0) {
            KNOWN.put(String.valueOf(compact), h);
            BY_COMPACT[compact] = h;
            BY_COMPACT[Character.toUpperCase(compact)] = h;
        }
        int slot = foldedHash(h.lowerBytes, 0, h.lowerBytes.length) & (TABLE.length - 1);
        while (TABLE[slot] != null) {
            slot = (slot + 1) & (TABLE.length - 1);
        }
        TABLE[slot] = h;
        return h;
    }

    /** The name for {@code text}: a known constant (any case, compact form included) or a new extension name. */
    public static HeaderName valueOf(String text) {
        Objects.requireNonNull(text, "text");
        HeaderName h = KNOWN.get(text.toLowerCase(Locale.ROOT));
        return h != null ? h : new HeaderName(text, (char) 0, false);
    }

    /**
     * The name spelled by {@code b[start..end)} (ASCII, any case, compact forms included);
     * allocates only for extension headers.
     */
    public static HeaderName of(byte[] b, int start, int end) {
        HeaderName h = knownOf(b, start, end);
        return h != null ? h : new HeaderName(new String(b, start, end - start,
                java.nio.charset.StandardCharsets.ISO_8859_1), (char) 0, false);
    }

    /**
     * The known name spelled by {@code b[start..end)} in any case (compact forms included), or
     * null for anything else, whatever the bytes: a parser may look a range up before it has
     * checked that the range is a token.
     */
    public static HeaderName knownOf(byte[] b, int start, int end) {
        int len = end - start;
        if (len <= 1) {
            return len == 1 && b[start] > 0 ? BY_COMPACT[b[start]] : null;
        }
        int slot = foldedHash(b, start, end) & (TABLE.length - 1);
        HeaderName h;
        while ((h = TABLE[slot]) != null) {
            if (h.matches(b, start, end)) {
                return h;
            }
            slot = (slot + 1) & (TABLE.length - 1);
        }
        return null;
    }

    private boolean matches(byte[] b, int start, int end) {
        byte[] l = lowerBytes;
        int len = l.length;
        if (len != end - start) {
            return false;
        }
        if (len <= 16 && start + 16 <= b.length) {
            // two words whatever the length: names come in every length, so a branch on it
            // would be mispredicted line after line
            long x = ((((long) LONGS.get(b, start) | f0) & k0) ^ w0)
                    | ((((long) LONGS.get(b, start + 8) | f1) & k1) ^ w1);
            return x == 0;
        }
        if (len >= 8) {
            // eight bytes at a time, the last word overlapping; the case bit is ORed onto the
            // letters' bytes only, so a letter matches in either case and a '-' only as itself
            long[] w = words;
            long[] m = foldMasks;
            int k = 0;
            for (int i = 0; i + 8 < len; i += 8, k++) {
                if (((long) LONGS.get(b, start + i) | m[k]) != w[k]) {
                    return false;
                }
            }
            return ((long) LONGS.get(b, end - 8) | m[k]) == w[k];
        }
        if (len >= 4) { // four bytes at the start and four at the end, overlapping
            return ((int) INTS.get(b, start) | head4Fold) == head4 && ((int) INTS.get(b, end - 4) | tail4Fold) == tail4;
        }
        for (int i = 0; i < len; i++) {
            int c = b[start + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != l[i]) {
                return false;
            }
        }
        return true;
    }

    /** A hash of the length and the first, second and last characters, ASCII case folded. */
    private static int foldedHash(byte[] b, int start, int end) {
        int len = end - start;
        int first = b[start] | 0x20;
        int second = len > 1 ? b[start + 1] | 0x20 : 0;
        int last = b[end - 1] | 0x20;
        int h = ((len * 31 + first) * 31 + second) * 31 + last;
        return h ^ (h >>> 7);
    }

    /** The canonical spelling, e.g. {@code Call-ID}. */
    public String name() {
        return name;
    }

    /** The compact form (RFC 3261 §7.3.3 and extensions), or 0 if there is none. */
    public char compactForm() {
        return compact;
    }

    /**
     * True if this is one of the constants of this class. Every spelling of a known name maps
     * to its constant, so two names of which one is known are equal only if they are the same
     * object.
     */
    public boolean isKnown() {
        return known;
    }

    /** Equality without the type check, for lookups: identity for known names. */
    public boolean sameAs(HeaderName o) {
        return o == this || (!known && !o.known && o.lower.equals(lower));
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof HeaderName other && other.lower.equals(lower));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return name;
    }
}
