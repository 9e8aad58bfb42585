package io.rvoip.infra.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualShardedExecutorTest {

    @Test
    void runsNothingUntilAskedThenEverythingInOrder() {
        ManualShardedExecutor ex = new ManualShardedExecutor(2);
        List<String> log = new ArrayList<>();
        ex.execute("a", () -> log.add("a1"));
        ex.execute("a", () -> {
            log.add("a2");
            ex.execute("a", () -> log.add("a3 (queued while running)"));
        });
        assertThat(log).isEmpty();
        assertThat(ex.pendingCount()).isEqualTo(2);
        assertThat(ex.runPending()).isEqualTo(3);
        assertThat(log).containsExactly("a1", "a2", "a3 (queued while running)");
        assertThat(ex.pendingCount()).isZero();
    }

    @Test
    void knowsWhichShardIsRunning() {
        ManualShardedExecutor ex = new ManualShardedExecutor(8);
        boolean[] seen = new boolean[2];
        ex.execute("x", () -> {
            seen[0] = ex.inShardOf("x");
            seen[1] = ex.shardOf("y") != ex.shardOf("x") && ex.inShardOf("y");
        });
        ex.runPending();
        assertThat(seen[0]).isTrue();
        assertThat(seen[1]).isFalse();
        assertThat(ex.inShardOf("x")).isFalse();
    }

    @Test
    void boundedAndShutDownExecutorsReject() {
        ManualShardedExecutor ex = new ManualShardedExecutor(1, 2);
        assertThat(ex.tryExecute("k", () -> { })).isTrue();
        assertThat(ex.tryExecute("k", () -> { })).isTrue();
        assertThat(ex.tryExecute("k", () -> { })).isFalse();
        ex.shutdown();
        ex.runPending();
        assertThat(ex.tryExecute("k", () -> { })).isFalse();
        assertThat(ex.rejectedCount()).isEqualTo(2);
    }
}
