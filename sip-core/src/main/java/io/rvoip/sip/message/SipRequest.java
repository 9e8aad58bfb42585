package io.rvoip.sip.message;

import io.rvoip.sip.parser.MessageIndex;
import io.rvoip.sip.uri.Uri;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A SIP request (RFC 3261 §7.1). Build one with {@link #builder(SipMethod, Uri)}.
 *
 * <pre>{@code
 * SipRequest invite = SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:bob@biloxi.example.com"))
 *         .via(Via.of("UDP", "192.0.2.101", 5060, SipIds.newBranch()))
 *         .maxForwards(70)
 *         .from(Address.of("Alice", Uri.parse("sip:alice@atlanta.example.com")).withTag(SipIds.newTag()))
 *         .to(Address.of(Uri.parse("sip:bob@biloxi.example.com")))
 *         .callId(SipIds.newCallId())
 *         .cseq(1)
 *         .contact(Address.of(Uri.parse("sip:alice@192.0.2.101")))
 *         .body(MediaType.APPLICATION_SDP, sdpBytes)
 *         .build();
 * }</pre>
 */
public final class SipRequest extends SipMessage {

    SipRequest(MessageIndex ix) {
        super(ix);
    }

    /** A builder for a request; Content-Length is filled in by {@code build()}. */
    public static Builder builder(SipMethod method, Uri requestUri) {
        return new Builder(method, requestUri);
    }

    @Override
    public boolean isRequest() {
        return true;
    }

    /** The method. */
    public SipMethod method() {
        return ix.method();
    }

    /** The Request-URI. */
    public Uri requestUri() {
        return ix.requestUri();
    }

    @Override
    public Builder toBuilder() {
        Builder b = new Builder(method(), requestUri());
        b.copyFrom(this);
        return b;
    }

    /** Builds a {@link SipRequest}. Not thread-safe. */
    public static final class Builder extends MessageBuilder<SipRequest, Builder> {
        private SipMethod method;
        private Uri requestUri;

        Builder(SipMethod method, Uri requestUri) {
            this.method = Objects.requireNonNull(method, "method");
            this.requestUri = Objects.requireNonNull(requestUri, "requestUri");
        }

        /** Changes the method. */
        public Builder method(SipMethod method) {
            this.method = Objects.requireNonNull(method, "method");
            originalStartLine = null;
            return this;
        }

        /** Changes the Request-URI. */
        public Builder requestUri(Uri uri) {
            this.requestUri = Objects.requireNonNull(uri, "uri");
            originalStartLine = null;
            return this;
        }

        /** Sets CSeq to {@code seq} and this request's method. */
        public Builder cseq(long seq) {
            return set(io.rvoip.sip.header.SipHeaders.CSEQ, new io.rvoip.sip.header.CSeq(seq, method));
        }

        @Override
        byte[] startLine() {
            if (originalStartLine != null) {
                return originalStartLine;
            }
            return (method.name() + " " + requestUri + " SIP/2.0\r\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        SipRequest cast(SipMessage m) {
            return (SipRequest) m;
        }
    }
}
