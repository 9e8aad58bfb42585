package io.rvoip.sip.message;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.parser.MessageIndex;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A SIP response (RFC 3261 §7.2). Make one for a request with
 * {@link #forRequest(SipRequest, StatusCode)}.
 */
public final class SipResponse extends SipMessage {

    SipResponse(MessageIndex ix) {
        super(ix);
    }

    /** A builder for a response with the default reason phrase. */
    public static Builder builder(StatusCode status) {
        return new Builder(status, status.reasonPhrase());
    }

    /**
     * A response to {@code request} per RFC 3261 §8.2.6: Via fields (all, in order), From, To,
     * Call-ID and CSeq copied; a To tag added when the request's To has none and the status is
     * above 100 (a fresh random tag; use {@link #forRequest(SipRequest, StatusCode, String)} to
     * give the dialog's tag); Timestamp copied into a 100 (§8.2.6.1).
     */
    public static Builder forRequest(SipRequest request, StatusCode status) {
        return forRequest(request, status, null);
    }

    /** Like {@link #forRequest(SipRequest, StatusCode)} with the To tag to add ({@code null}: generate). */
    public static Builder forRequest(SipRequest request, StatusCode status, String toTag) {
        Builder b = builder(status);
        for (int i = 0, n = request.headerCount(); i < n; i++) {
            HeaderName name = request.headerName(i);
            boolean copy = name.equals(HeaderName.VIA) || name.equals(HeaderName.FROM)
                    || name.equals(HeaderName.CALL_ID) || name.equals(HeaderName.CSEQ)
                    || (status.code() == 100 && name.equals(HeaderName.TIMESTAMP));
            if (copy) {
                b.copyField(request, i);
            } else if (name.equals(HeaderName.TO)) {
                Address to = request.to();
                if (status.code() > 100 && to != null && to.tag() == null) {
                    b.copyFieldWithSuffix(request, i, ";tag=" + (toTag != null ? toTag : SipIds.newTag()));
                } else {
                    b.copyField(request, i);
                }
            }
        }
        return b;
    }

    @Override
    public boolean isRequest() {
        return false;
    }

    /** The status code. */
    public StatusCode status() {
        return StatusCode.valueOf(ix.statusCode());
    }

    /** The status code as a number. */
    public int statusCode() {
        return ix.statusCode();
    }

    /** The reason phrase as received (may be empty). */
    public String reasonPhrase() {
        return ix.reasonPhrase();
    }

    @Override
    public Builder toBuilder() {
        Builder b = new Builder(status(), reasonPhrase());
        b.copyFrom(this);
        return b;
    }

    /** Builds a {@link SipResponse}. Not thread-safe. */
    public static final class Builder extends MessageBuilder<SipResponse, Builder> {
        private StatusCode status;
        private String reason;

        Builder(StatusCode status, String reason) {
            this.status = Objects.requireNonNull(status, "status");
            this.reason = Objects.requireNonNull(reason, "reason");
        }

        /** Changes the status (and the reason phrase to its default). */
        public Builder status(StatusCode status) {
            this.status = Objects.requireNonNull(status, "status");
            this.reason = status.reasonPhrase();
            originalStartLine = null;
            return this;
        }

        /** Changes the reason phrase (UTF-8; no line breaks). */
        public Builder reasonPhrase(String reason) {
            MessageBuilder.checkText(reason);
            this.reason = reason;
            originalStartLine = null;
            return this;
        }

        @Override
        byte[] startLine() {
            if (originalStartLine != null) {
                return originalStartLine;
            }
            return ("SIP/2.0 " + status.code() + " " + reason + "\r\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        SipResponse cast(SipMessage m) {
            return (SipResponse) m;
        }
    }
}
