package io.rvoip.bench.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.rvoip.sip.header.HeaderType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.sdp.SessionDescription;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * SIP parsing on the exact messages of {@code shared/anchors/messages} (byte-identical copies
 * in this module's resources), rvoip beside the JAIN-SIP reference implementation, one thread.
 *
 * <ul>
 *   <li>{@code rvoipTransactionDepth}: start line plus Via, From, To, Call-ID, CSeq,
 *       Max-Forwards and Content-Length typed, every other header indexed, through
 *       {@link SipParser#parseOwned(byte[])}: what the UDP transport calls, with the array it
 *       copied out of the socket buffer (JAIN-SIP's UDP channel copies the datagram the same way
 *       before it calls the parser measured below).</li>
 *   <li>{@code rvoipTransactionDepthCopy}: the same through
 *       {@link SipParser#parseDatagram(byte[])}, which first copies the caller's bytes.</li>
 *   <li>{@code rvoipFullDepth}: every header typed and the SDP body parsed: a
 *       {@link SipParser.Depth#FULL} parse (JAIN-SIP's parse below types every header too),
 *       then the body through the SDP parser.</li>
 *   <li>{@code rvoipFullDepthOnAccess}: the same values the other way: a transaction-depth
 *       parse, then {@code getAll} of every typed header in {@link SipHeaders} (each present
 *       one typed on that access, each absent one a lookup), then the SDP body.</li>
 *   <li>{@code rvoipSdpOnly}: the message body alone through the SDP parser (part of full depth).</li>
 *   <li>{@code rvoipParseSerialize}: parse, then the wire bytes (a copy: messages keep them).</li>
 *   <li>{@code rvoipParseAddViaSerialize}: what a proxy does: parse, push a Via, build (which
 *       serializes and parses again).</li>
 *   <li>{@code jainSipParse} / {@code jainSipParseEncode}: JAIN-SIP's
 *       {@code StringMsgParser.parseSIPMessage(bytes, true, false, null)} (what its UDP channel
 *       calls; SDP left unparsed), and the same followed by {@code encodeAsBytes}.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class SipParseBenchmark {
    static final List<HeaderType<?>> ALL_TYPES = new ArrayList<>();

    static {
        for (Field f : SipHeaders.class.getFields()) {
            try {
                ALL_TYPES.add((HeaderType<?>) f.get(null));
            } catch (IllegalAccessException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    @Param({"invite.txt", "response200.txt"})
    public String message;

    private byte[] bytes;
    private byte[] body;
    private final SipParser parser = SipParser.defaults();
    private final SipParser fullParser = SipParser.fullDepth();
    private final StringMsgParser jain = new StringMsgParser();
    private final Via proxyVia = Via.of("UDP", "proxy.example.com", 5060, "z9hG4bKproxy1");

    @Setup
    public void setUp() throws IOException {
        try (InputStream in = SipParseBenchmark.class.getResourceAsStream("/messages/" + message)) {
            bytes = in.readAllBytes();
        }
        // sanity: both parsers accept the message
        body = parser.parseDatagram(bytes).body();
        try {
            jain.parseSIPMessage(bytes, true, false, null);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public SipMessage rvoipTransactionDepth() {
        return parser.parseOwned(bytes); // never modified: every message may share it
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public SipMessage rvoipTransactionDepthCopy() {
        return parser.parseDatagram(bytes);
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void rvoipFullDepth(Blackhole bh) {
        SipMessage m = fullParser.parseOwned(bytes);
        bh.consume(m);
        if (m.bodyLength() > 0) {
            bh.consume(SessionDescription.parse(m.body()));
        }
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void rvoipFullDepthOnAccess(Blackhole bh) {
        SipMessage m = parser.parseOwned(bytes);
        for (int i = 0, n = ALL_TYPES.size(); i < n; i++) {
            bh.consume(m.getAll(ALL_TYPES.get(i)));
        }
        if (m.bodyLength() > 0) {
            bh.consume(SessionDescription.parse(m.body()));
        }
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public SessionDescription rvoipSdpOnly() {
        return SessionDescription.parse(body);
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public byte[] rvoipParseSerialize() {
        return parser.parseOwned(bytes).toByteArray();
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public byte[] rvoipParseAddViaSerialize() {
        SipMessage m = parser.parseOwned(bytes);
        if (m instanceof io.rvoip.sip.message.SipRequest r) {
            return r.toBuilder().via(proxyVia).build().toByteArray();
        }
        return ((io.rvoip.sip.message.SipResponse) m).toBuilder()
                .removeFirst(io.rvoip.sip.header.HeaderName.VIA).build().toByteArray();
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public SIPMessage jainSipParse() throws java.text.ParseException {
        return jain.parseSIPMessage(bytes, true, false, null);
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public byte[] jainSipParseEncode() throws java.text.ParseException {
        return jain.parseSIPMessage(bytes, true, false, null).encodeAsBytes("UDP");
    }
}
