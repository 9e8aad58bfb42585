package io.rvoip.infra.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts components in the order they were added and stops them in reverse order, so a
 * layer is stopped before the layers it depends on. If a component fails to start, the
 * ones already started are stopped (in reverse) and the failure is rethrown. A component
 * that fails to stop does not keep the others from stopping; its exception is rethrown at
 * the end with the others attached as suppressed.
 *
 * <p>Thread safety: the methods are synchronized; call them from any thread.
 */
public final class LifecycleGroup implements Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(LifecycleGroup.class);

    private final List<Lifecycle> components = new ArrayList<>();
    private int started;

    /** Adds a component; it is started by the next {@link #start()} if the group is running. */
    public synchronized LifecycleGroup add(Lifecycle component) {
        components.add(Objects.requireNonNull(component, "component"));
        return this;
    }

    /** The number of components currently started. */
    public synchronized int startedCount() {
        return started;
    }

    @Override
    public synchronized void start() {
        while (started < components.size()) {
            Lifecycle c = components.get(started);
            try {
                c.start();
            } catch (RuntimeException | Error e) {
                try {
                    stop();
                } catch (RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
                throw e;
            }
            started++;
        }
    }

    @Override
    public synchronized void stop() {
        RuntimeException first = null;
        while (started > 0) {
            Lifecycle c = components.get(--started);
            try {
                c.stop();
            } catch (RuntimeException e) {
                log.warn("stopping {} failed", c, e);
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
