package io.rvoip.infra.event;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** Event types and a hand-driven executor shared by the event bus tests. */
final class TestEvents {
    private TestEvents() {
    }

    /** The sealed family a layer would publish. */
    sealed interface CallEvent extends Event permits Ringing, Answered, Ended, Stats {
        String callId();

        @Override
        default Object routingKey() {
            return callId();
        }
    }

    record Ringing(String callId, int seq) implements CallEvent {
    }

    record Answered(String callId, int seq) implements CallEvent {
    }

    record Ended(String callId, int seq) implements CallEvent {
        @Override
        public EventPriority priority() {
            return EventPriority.CRITICAL;
        }
    }

    record Stats(String callId, int seq) implements CallEvent {
        @Override
        public EventPriority priority() {
            return EventPriority.LOW;
        }
    }

    /** Another layer's event, unrelated to {@link CallEvent}. */
    record Other(String key) implements Event {
        @Override
        public Object routingKey() {
            return key;
        }
    }

    /** An executor whose tasks run only when the test says so: a subscriber that is "behind". */
    static final class HandExecutor implements Executor {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable command) {
            tasks.add(command);
        }

        /** Runs queued tasks, including ones they queue, until none is left. */
        int runAll() {
            int n = 0;
            for (;;) {
                Runnable r;
                synchronized (this) {
                    r = tasks.poll();
                }
                if (r == null) {
                    return n;
                }
                r.run();
                n++;
            }
        }

        synchronized int pending() {
            return tasks.size();
        }
    }
}
