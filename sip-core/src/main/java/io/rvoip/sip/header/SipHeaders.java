package io.rvoip.sip.header;

import io.rvoip.sip.parser.HeaderValueParser;
import java.time.Instant;
import java.util.List;

/**
 * The typed headers rvoip understands, each bound to its value parser. Any other header is
 * still kept and reachable by name as raw text.
 */
public final class SipHeaders {
    private SipHeaders() {
    }

    public static final HeaderType<Via> VIA = HeaderType.list(HeaderName.VIA, HeaderValueParser::vias);
    public static final HeaderType<Address> FROM = HeaderType.single(HeaderName.FROM, HeaderValueParser::address);
    public static final HeaderType<Address> TO = HeaderType.single(HeaderName.TO, HeaderValueParser::address);
    public static final HeaderType<String> CALL_ID = HeaderType.single(HeaderName.CALL_ID, HeaderValueParser::callId);
    public static final HeaderType<CSeq> CSEQ = HeaderType.single(HeaderName.CSEQ, HeaderValueParser::cseq);
    public static final HeaderType<Integer> MAX_FORWARDS =
            HeaderType.single(HeaderName.MAX_FORWARDS, HeaderValueParser::maxForwards);
    public static final HeaderType<Integer> CONTENT_LENGTH =
            HeaderType.single(HeaderName.CONTENT_LENGTH, HeaderValueParser::contentLength);
    public static final HeaderType<Address> CONTACT = HeaderType.list(HeaderName.CONTACT, HeaderValueParser::contacts);
    public static final HeaderType<Address> ROUTE = HeaderType.list(HeaderName.ROUTE, HeaderValueParser::addresses);
    public static final HeaderType<Address> RECORD_ROUTE =
            HeaderType.list(HeaderName.RECORD_ROUTE, HeaderValueParser::addresses);
    public static final HeaderType<Address> PATH = HeaderType.list(HeaderName.PATH, HeaderValueParser::addresses);
    public static final HeaderType<Address> SERVICE_ROUTE =
            HeaderType.list(HeaderName.SERVICE_ROUTE, HeaderValueParser::addresses);
    public static final HeaderType<Address> P_ASSERTED_IDENTITY =
            HeaderType.list(HeaderName.P_ASSERTED_IDENTITY, HeaderValueParser::addresses);
    public static final HeaderType<Address> P_PREFERRED_IDENTITY =
            HeaderType.list(HeaderName.P_PREFERRED_IDENTITY, HeaderValueParser::addresses);
    public static final HeaderType<Address> REFER_TO = HeaderType.single(HeaderName.REFER_TO, HeaderValueParser::address);
    public static final HeaderType<Address> REFERRED_BY =
            HeaderType.single(HeaderName.REFERRED_BY, HeaderValueParser::address);
    public static final HeaderType<Address> REPLY_TO = HeaderType.single(HeaderName.REPLY_TO, HeaderValueParser::address);
    public static final HeaderType<Address> CALL_INFO = HeaderType.list(HeaderName.CALL_INFO, HeaderValueParser::addresses);
    public static final HeaderType<Address> ALERT_INFO =
            HeaderType.list(HeaderName.ALERT_INFO, HeaderValueParser::addresses);
    public static final HeaderType<Address> ERROR_INFO =
            HeaderType.list(HeaderName.ERROR_INFO, HeaderValueParser::addresses);
    public static final HeaderType<MediaType> CONTENT_TYPE =
            HeaderType.single(HeaderName.CONTENT_TYPE, HeaderValueParser::mediaType);
    public static final HeaderType<MediaType> ACCEPT = HeaderType.list(HeaderName.ACCEPT, HeaderValueParser::mediaTypes);
    public static final HeaderType<ContentDisposition> CONTENT_DISPOSITION =
            HeaderType.single(HeaderName.CONTENT_DISPOSITION, HeaderValueParser::contentDisposition);
    public static final HeaderType<String> CONTENT_ENCODING =
            HeaderType.list(HeaderName.CONTENT_ENCODING, HeaderValueParser::tokens);
    public static final HeaderType<Long> EXPIRES = HeaderType.single(HeaderName.EXPIRES, HeaderValueParser::deltaSeconds);
    public static final HeaderType<Long> MIN_EXPIRES =
            HeaderType.single(HeaderName.MIN_EXPIRES, HeaderValueParser::deltaSeconds);
    public static final HeaderType<String> ALLOW = HeaderType.list(HeaderName.ALLOW, HeaderValueParser::tokens);
    public static final HeaderType<String> SUPPORTED = HeaderType.list(HeaderName.SUPPORTED, HeaderValueParser::tokens);
    public static final HeaderType<String> REQUIRE = HeaderType.list(HeaderName.REQUIRE, HeaderValueParser::tokens);
    public static final HeaderType<String> PROXY_REQUIRE =
            HeaderType.list(HeaderName.PROXY_REQUIRE, HeaderValueParser::tokens);
    public static final HeaderType<String> UNSUPPORTED =
            HeaderType.list(HeaderName.UNSUPPORTED, HeaderValueParser::tokens);
    public static final HeaderType<String> ALLOW_EVENTS =
            HeaderType.list(HeaderName.ALLOW_EVENTS, HeaderValueParser::tokens);
    public static final HeaderType<AuthHeader> WWW_AUTHENTICATE =
            HeaderType.single(HeaderName.WWW_AUTHENTICATE, HeaderValueParser::auth);
    public static final HeaderType<AuthHeader> PROXY_AUTHENTICATE =
            HeaderType.single(HeaderName.PROXY_AUTHENTICATE, HeaderValueParser::auth);
    public static final HeaderType<AuthHeader> AUTHORIZATION =
            HeaderType.single(HeaderName.AUTHORIZATION, HeaderValueParser::auth);
    public static final HeaderType<AuthHeader> PROXY_AUTHORIZATION =
            HeaderType.single(HeaderName.PROXY_AUTHORIZATION, HeaderValueParser::auth);
    public static final HeaderType<AuthHeader> AUTHENTICATION_INFO =
            HeaderType.single(HeaderName.AUTHENTICATION_INFO, HeaderValueParser::authInfo);
    public static final HeaderType<Long> RSEQ = HeaderType.single(HeaderName.RSEQ, HeaderValueParser::rseq);
    public static final HeaderType<RAck> RACK = HeaderType.single(HeaderName.RACK, HeaderValueParser::rack);
    public static final HeaderType<EventHeader> EVENT = HeaderType.single(HeaderName.EVENT, HeaderValueParser::event);
    public static final HeaderType<SubscriptionState> SUBSCRIPTION_STATE =
            HeaderType.single(HeaderName.SUBSCRIPTION_STATE, HeaderValueParser::subscriptionState);
    public static final HeaderType<Replaces> REPLACES = HeaderType.single(HeaderName.REPLACES, HeaderValueParser::replaces);
    public static final HeaderType<SessionExpires> SESSION_EXPIRES =
            HeaderType.single(HeaderName.SESSION_EXPIRES, HeaderValueParser::sessionExpires);
    public static final HeaderType<SessionExpires> MIN_SE =
            HeaderType.single(HeaderName.MIN_SE, HeaderValueParser::sessionExpires);
    public static final HeaderType<Reason> REASON = HeaderType.list(HeaderName.REASON, HeaderValueParser::reasons);
    public static final HeaderType<RetryAfter> RETRY_AFTER =
            HeaderType.single(HeaderName.RETRY_AFTER, HeaderValueParser::retryAfter);
    /** Date (RFC 3261 §20.17): an instant, written as {@code rfc1123-date} in GMT, to the second. */
    public static final HeaderType<Instant> DATE =
            HeaderType.single(HeaderName.DATE, HeaderValueParser::date, HeaderValueParser::formatDate);
    public static final HeaderType<Timestamp> TIMESTAMP =
            HeaderType.single(HeaderName.TIMESTAMP, HeaderValueParser::timestamp);
    public static final HeaderType<Warning> WARNING = HeaderType.list(HeaderName.WARNING, HeaderValueParser::warnings);
    public static final HeaderType<String> USER_AGENT = HeaderType.single(HeaderName.USER_AGENT, HeaderValueParser::text);
    public static final HeaderType<String> SERVER = HeaderType.single(HeaderName.SERVER, HeaderValueParser::text);
    public static final HeaderType<String> SUBJECT = HeaderType.single(HeaderName.SUBJECT, HeaderValueParser::text);
    public static final HeaderType<String> ORGANIZATION =
            HeaderType.single(HeaderName.ORGANIZATION, HeaderValueParser::text);
    /** Privacy (RFC 3323): the priv-values, in order, written joined by {@code ;}. */
    public static final HeaderType<List<String>> PRIVACY =
            HeaderType.single(HeaderName.PRIVACY, HeaderValueParser::privacy, v -> String.join(";", v));
    public static final HeaderType<String> SIP_ETAG = HeaderType.single(HeaderName.SIP_ETAG, HeaderValueParser::text);
    public static final HeaderType<String> SIP_IF_MATCH =
            HeaderType.single(HeaderName.SIP_IF_MATCH, HeaderValueParser::text);

    // binds each name to its type, for typeOf; runs before any caller of typeOf can read them
    static {
        for (java.lang.reflect.Field f : SipHeaders.class.getFields()) {
            if (f.getType() == HeaderType.class) {
                try {
                    HeaderType<?> t = (HeaderType<?>) f.get(null);
                    if (t.name().type != null) {
                        throw new ExceptionInInitializerError("two typed headers named " + t.name());
                    }
                    t.name().type = t;
                } catch (IllegalAccessException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }
        }
    }

    /**
     * The typed header of {@code name} among these constants (compact forms are the same
     * names), or null if it has none: an extension header, or a known name whose value rvoip
     * keeps as text, such as {@code Priority}. What {@link io.rvoip.sip.parser.SipParser.Depth#FULL}
     * types.
     */
    public static HeaderType<?> typeOf(HeaderName name) {
        return name.type;
    }
}
