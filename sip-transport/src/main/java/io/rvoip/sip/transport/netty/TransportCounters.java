package io.rvoip.sip.transport.netty;

import java.util.concurrent.atomic.LongAdder;

/** The transport's counters; incremented from any I/O thread. */
public final class TransportCounters {
    public final LongAdder received = new LongAdder();
    public final LongAdder bytesReceived = new LongAdder();
    public final LongAdder rejected = new LongAdder();
    public final LongAdder oversize = new LongAdder();
    public final LongAdder keepAlives = new LongAdder();
    public final LongAdder sent = new LongAdder();
    public final LongAdder sendFailures = new LongAdder();
    public final LongAdder connectionsRefused = new LongAdder();
    public final LongAdder readPauses = new LongAdder();
    public final LongAdder stalledConnections = new LongAdder();
}
