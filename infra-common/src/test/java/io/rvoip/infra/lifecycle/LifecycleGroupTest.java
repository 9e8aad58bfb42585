package io.rvoip.infra.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleGroupTest {
    private final List<String> log = new ArrayList<>();

    private Lifecycle component(String name, boolean failStart, boolean failStop) {
        return new Lifecycle() {
            @Override
            public void start() {
                if (failStart) {
                    throw new IllegalStateException(name + " cannot start");
                }
                log.add("start " + name);
            }

            @Override
            public void stop() {
                log.add("stop " + name);
                if (failStop) {
                    throw new IllegalStateException(name + " cannot stop");
                }
            }
        };
    }

    @Test
    void startsInOrderAndStopsInReverse() {
        LifecycleGroup g = new LifecycleGroup()
                .add(component("transport", false, false))
                .add(component("transactions", false, false))
                .add(component("dialogs", false, false));
        g.start();
        g.start(); // idempotent
        g.stop();
        g.stop();
        assertThat(log).containsExactly("start transport", "start transactions", "start dialogs",
                "stop dialogs", "stop transactions", "stop transport");
        assertThat(g.startedCount()).isZero();
    }

    @Test
    void aFailedStartStopsWhatAlreadyStarted() {
        LifecycleGroup g = new LifecycleGroup()
                .add(component("a", false, false))
                .add(component("b", false, false))
                .add(component("c", true, false));
        assertThatThrownBy(g::start).hasMessage("c cannot start");
        assertThat(log).containsExactly("start a", "start b", "stop b", "stop a");
        assertThat(g.startedCount()).isZero();
    }

    @Test
    void aFailedStopDoesNotKeepOthersRunning() {
        LifecycleGroup g = new LifecycleGroup()
                .add(component("a", false, true))
                .add(component("b", false, true))
                .add(component("c", false, false));
        g.start();
        assertThatThrownBy(g::stop).hasMessage("b cannot stop")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        assertThat(log).endsWith("stop c", "stop b", "stop a");
    }
}
