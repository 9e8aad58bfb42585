package io.rvoip.session;

import io.rvoip.infra.time.ManualClock;
import io.rvoip.media.session.MediaClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/**
 * What the loopback call tests share: one manual clock, a media clock driven by it, and the
 * coordinators a test built, stopped after each test.
 */
abstract class LoopbackFixture {
    protected final ManualClock clock = new ManualClock();
    protected final MediaClock media = MediaClock.manual(clock);
    /** Coordinators to stop after the test; a test adds what it builds. */
    protected final List<SessionCoordinator> coordinators = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopCoordinators() {
        coordinators.forEach(SessionCoordinator::stop);
    }
}
