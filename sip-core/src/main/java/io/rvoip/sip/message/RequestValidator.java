package io.rvoip.sip.message;

import io.rvoip.sip.header.CSeq;
import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.TelUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks a UAS makes before it processes a request (RFC 3261 §8.2, §16.3 for the parts a
 * UAS shares), each with the response it calls for:
 *
 * <ul>
 *   <li>505 — a SIP-Version other than 2.0;</li>
 *   <li>400 — a mandatory header missing (Via, To, From, Call-ID, CSeq, Max-Forwards), a
 *       single-valued header repeated, a malformed header the UAS needs, a CSeq method
 *       different from the request method, a CSeq number of 2^31 or more, a Request-URI
 *       carrying headers, a Via branch that is only the magic cookie;</li>
 *   <li>416 — a Request-URI scheme other than sip, sips and tel;</li>
 *   <li>501 — a method not in the supported set (the response lists Allow);</li>
 *   <li>420 — a Require option not supported (the response lists Unsupported);</li>
 *   <li>415 — a body type that is not accepted (the response lists Accept).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class RequestValidator {
    private static final List<HeaderName> MANDATORY = List.of(HeaderName.VIA, HeaderName.TO, HeaderName.FROM,
            HeaderName.CALL_ID, HeaderName.CSEQ, HeaderName.MAX_FORWARDS);
    private static final List<HeaderName> SINGLE = List.of(HeaderName.TO, HeaderName.FROM, HeaderName.CALL_ID,
            HeaderName.CSEQ, HeaderName.MAX_FORWARDS, HeaderName.CONTENT_LENGTH, HeaderName.CONTENT_TYPE,
            HeaderName.EXPIRES);

    private final Set<String> methods;
    private final Set<String> extensions;
    private final List<MediaType> accepted;

    private RequestValidator(Set<String> methods, Set<String> extensions, List<MediaType> accepted) {
        this.methods = methods;
        this.extensions = extensions;
        this.accepted = accepted;
    }

    /**
     * A validator for a UAS that implements {@code methods}, supports the option tags
     * {@code extensions}, and accepts bodies of types {@code accepted}.
     */
    public static RequestValidator of(Set<SipMethod> methods, Set<String> extensions, List<MediaType> accepted) {
        Set<String> m = new TreeSet<>();
        methods.forEach(x -> m.add(x.name()));
        Set<String> ext = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        ext.addAll(extensions);
        return new RequestValidator(m, ext, List.copyOf(accepted));
    }

    /**
     * The outcome of validation: ok, or the response to send with the headers it needs.
     *
     * @param status null if the request may be processed
     * @param reason a short explanation (for the reason phrase or a Warning)
     * @param extraHeader the header name the response must carry (Allow, Unsupported, Accept), or null
     * @param extraValue that header's value, or null
     */
    public record Result(StatusCode status, String reason, HeaderName extraHeader, String extraValue) {
        static final Result OK = new Result(null, null, null, null);

        /** True if the request may be processed. */
        public boolean isOk() {
            return status == null;
        }
    }

    /** Validates {@code request}. */
    public Result validate(SipRequest request) {
        Objects.requireNonNull(request, "request");
        if (!request.version().equalsIgnoreCase("SIP/2.0")) {
            return bad(StatusCode.VERSION_NOT_SUPPORTED, "SIP version " + request.version());
        }
        for (HeaderName h : MANDATORY) {
            if (!request.has(h)) {
                return bad(StatusCode.BAD_REQUEST, "Missing " + h.name());
            }
        }
        for (HeaderName h : SINGLE) {
            if (request.count(h) > 1) {
                return bad(StatusCode.BAD_REQUEST, "Multiple " + h.name() + " values");
            }
        }
        Result r = checkValues(request);
        if (r != null) {
            return r;
        }
        if (!methods.contains(request.method().name())) {
            return new Result(StatusCode.NOT_IMPLEMENTED, "Method not implemented", HeaderName.ALLOW,
                    String.join(", ", methods));
        }
        if (request.method() != SipMethod.ACK && request.method() != SipMethod.CANCEL) {
            List<String> unsupported = new ArrayList<>();
            for (String option : getAllSafe(request)) {
                if (!extensions.contains(option)) {
                    unsupported.add(option);
                }
            }
            if (!unsupported.isEmpty()) {
                return new Result(StatusCode.BAD_EXTENSION, "Bad Extension", HeaderName.UNSUPPORTED,
                        String.join(", ", unsupported));
            }
        }
        if (request.bodyLength() > 0) {
            MediaType type = request.contentType();
            if (type == null || accepted.stream().noneMatch(a -> a.includes(type))) {
                StringBuilder sb = new StringBuilder();
                accepted.forEach(a -> sb.append(sb.length() == 0 ? "" : ", ").append(a));
                return new Result(StatusCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", HeaderName.ACCEPT,
                        sb.toString());
            }
        }
        return Result.OK;
    }

    private static List<String> getAllSafe(SipRequest request) {
        return request.getAll(SipHeaders.REQUIRE);
    }

    private Result checkValues(SipRequest request) {
        try {
            CSeq cseq = request.cseq();
            if (!cseq.method().equals(request.method())) {
                return bad(StatusCode.BAD_REQUEST, "CSeq method does not match the request method");
            }
            if (cseq.seq() >= 0x80000000L) {
                return bad(StatusCode.BAD_REQUEST, "CSeq number too large");
            }
            Via top = request.via();
            String branch = top.branch();
            if (branch != null && branch.equalsIgnoreCase(Via.MAGIC_COOKIE)) {
                return bad(StatusCode.BAD_REQUEST, "Via branch is only the magic cookie");
            }
            if (request.requestUri() instanceof SipUri u) {
                if (u.rawHeaders() != null) {
                    return bad(StatusCode.BAD_REQUEST, "Request-URI must not carry headers");
                }
            } else if (!(request.requestUri() instanceof TelUri)) {
                return bad(StatusCode.UNSUPPORTED_URI_SCHEME, "Unsupported URI scheme "
                        + request.requestUri().scheme().toLowerCase(Locale.ROOT));
            }
            request.getAll(SipHeaders.REQUIRE);
            request.getAll(SipHeaders.CONTACT);
            request.contentType();
            request.get(SipHeaders.EXPIRES);
            return null;
        } catch (SipParseException e) {
            return bad(StatusCode.BAD_REQUEST, "Malformed header: " + e.getMessage());
        }
    }

    private static Result bad(StatusCode status, String reason) {
        return new Result(status, reason, null, null);
    }
}
