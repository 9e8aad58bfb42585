package io.rvoip.infra.lifecycle;

/**
 * A component that is started before use and stopped when done. Both calls are idempotent.
 * Components are grouped in a {@link LifecycleGroup}, which starts them in order and stops
 * them in reverse order.
 */
public interface Lifecycle {

    /** Starts the component; calling it again on a started component does nothing. */
    void start();

    /** Stops the component and releases what it holds; calling it again does nothing. */
    void stop();
}
