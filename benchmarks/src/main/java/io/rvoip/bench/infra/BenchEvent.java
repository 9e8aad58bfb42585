package io.rvoip.bench.infra;

import io.rvoip.infra.event.Event;

/** The event the bus benchmarks publish: a small record, like every layer's events. */
record BenchEvent(String callId, long seq, long publishedNanos) implements Event {
    @Override
    public Object routingKey() {
        return callId;
    }
}
