package io.rvoip.infra.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.event.TestEvents.Answered;
import io.rvoip.infra.event.TestEvents.CallEvent;
import io.rvoip.infra.event.TestEvents.Ended;
import io.rvoip.infra.event.TestEvents.HandExecutor;
import io.rvoip.infra.event.TestEvents.Other;
import io.rvoip.infra.event.TestEvents.Ringing;
import io.rvoip.infra.event.TestEvents.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class EventBusTest {
    private final EventBus bus = EventBus.create();
    private final List<Object> got = new CopyOnWriteArrayList<>();

    @Test
    void deliversToExactTypeAndSupertypeSubscribersOnly() {
        List<Object> ringing = new ArrayList<>();
        List<Object> any = new ArrayList<>();
        List<Object> everything = new ArrayList<>();
        bus.subscribe(Ringing.class).handle(ringing::add);
        bus.subscribe(CallEvent.class).handle(any::add);
        bus.subscribe(Event.class).handle(everything::add);
        bus.publish(new Ringing("c1", 1));
        bus.publish(new Answered("c1", 2));
        bus.publish(new Other("x"));
        assertThat(ringing).containsExactly(new Ringing("c1", 1));
        assertThat(any).containsExactly(new Ringing("c1", 1), new Answered("c1", 2));
        assertThat(everything).hasSize(3);
        assertThat(bus.metrics().published()).isEqualTo(3);
    }

    @Test
    void subscribersAddedLaterSeeLaterEvents() {
        bus.publish(new Ringing("c1", 1)); // caches an empty route for Ringing
        bus.subscribe(CallEvent.class).handle(got::add);
        bus.publish(new Ringing("c1", 2));
        assertThat(got).containsExactly(new Ringing("c1", 2));
    }

    @Test
    void filterSelectsEvents() {
        Subscription s = bus.subscribe(CallEvent.class).filter(e -> e.callId().equals("mine")).handle(got::add);
        bus.publish(new Ringing("other", 1));
        bus.publish(new Ringing("mine", 2));
        bus.publish(new Answered("mine", 3));
        assertThat(got).containsExactly(new Ringing("mine", 2), new Answered("mine", 3));
        assertThat(s.metrics().delivered()).isEqualTo(2);
    }

    @Test
    void inlineCountsCoverOnlyTheSubscriptionsOwnLifetime() {
        bus.publish(new Ringing("c", 1));
        Subscription early = bus.subscribe(CallEvent.class).handle(got::add);
        bus.publish(new Ringing("c", 2));
        Subscription late = bus.subscribe(Ringing.class).handle(got::add);
        bus.publish(new Ringing("c", 3));
        bus.publish(new Answered("c", 4));
        early.unsubscribe();
        bus.publish(new Ringing("c", 5));
        assertThat(early.metrics().delivered()).isEqualTo(3);
        assertThat(late.metrics().delivered()).isEqualTo(2);
        assertThat(bus.metrics().published()).isEqualTo(5);
    }

    @Test
    void aThrowingSubscriberDoesNotStopTheOthers() {
        Subscription bad = bus.subscribe(CallEvent.class).name("bad").handle(e -> {
            throw new IllegalStateException("subscriber bug (expected by the test)");
        });
        Subscription good = bus.subscribe(CallEvent.class).name("good").handle(got::add);
        for (int i = 0; i < 5; i++) {
            assertThat(bus.publish(new Ringing("c", i))).isTrue();
        }
        assertThat(got).hasSize(5);
        assertThat(bad.metrics().failed()).isEqualTo(5);
        assertThat(bad.metrics().delivered()).isZero();
        assertThat(good.metrics().delivered()).isEqualTo(5);
    }

    @Test
    void aThrowingFilterCountsAsAFailure() {
        Subscription s = bus.subscribe(CallEvent.class).filter(e -> {
            throw new IllegalArgumentException("filter bug (expected by the test)");
        }).handle(got::add);
        bus.publish(new Ringing("c", 1));
        assertThat(got).isEmpty();
        assertThat(s.metrics().failed()).isEqualTo(1);
    }

    @Test
    void unsubscribeStopsDelivery() {
        Subscription s = bus.subscribe(CallEvent.class).handle(got::add);
        bus.publish(new Ringing("c", 1));
        assertThat(s.unsubscribe()).isTrue();
        assertThat(s.unsubscribe()).isFalse();
        bus.publish(new Ringing("c", 2));
        assertThat(got).containsExactly(new Ringing("c", 1));
        assertThat(bus.subscriptions()).isEmpty();
    }

    @Test
    void shardSubscribersRunOnTheKeysShard() {
        ManualShardedExecutor shards = new ManualShardedExecutor(4);
        EventBus sharded = EventBus.builder().shards(shards).build();
        List<Boolean> onShard = new ArrayList<>();
        sharded.subscribe(CallEvent.class).onShard()
                .handle(e -> onShard.add(shards.inShardOf(e.callId())));
        sharded.publish(new Ringing("a", 1));
        sharded.publish(new Ringing("b", 1));
        assertThat(onShard).as("nothing runs on the publisher's thread").isEmpty();
        shards.runPending();
        assertThat(onShard).containsExactly(true, true);
    }

    @Test
    void shardSubscribersCountDropsWhenTheShardIsFull() {
        ManualShardedExecutor shards = new ManualShardedExecutor(1, 2);
        EventBus sharded = EventBus.builder().shards(shards).build();
        Subscription s = sharded.subscribe(CallEvent.class).onShard().handle(got::add);
        assertThat(sharded.publish(new Ringing("a", 1))).isTrue();
        assertThat(sharded.publish(new Ringing("a", 2))).isTrue();
        assertThat(sharded.publish(new Ringing("a", 3))).isFalse();
        shards.runPending();
        assertThat(got).hasSize(2);
        assertThat(s.metrics().dropped()).isEqualTo(1);
    }

    @Test
    void onShardNeedsAShardedBus() {
        assertThatThrownBy(() -> bus.subscribe(CallEvent.class).onShard().handle(got::add))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void asyncSubscribersReceiveBatches() {
        HandExecutor ex = new HandExecutor();
        List<List<CallEvent>> batches = new ArrayList<>();
        bus.subscribe(CallEvent.class).async(ex).maxBatch(4).handleBatch(b -> batches.add(List.copyOf(b)));
        for (int i = 0; i < 10; i++) {
            bus.publish(new Ringing("c", i));
        }
        assertThat(ex.pending()).as("one wake-up for the whole burst").isEqualTo(1);
        ex.runAll();
        assertThat(batches).extracting(List::size).containsExactly(4, 4, 2);
        assertThat(batches.get(2)).containsExactly(new Ringing("c", 8), new Ringing("c", 9));
    }

    @Test
    void batchHandlersAreForAsyncOnly() {
        assertThatThrownBy(() -> bus.subscribe(CallEvent.class).handleBatch(b -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void criticalEventsOvertakeABacklogButKeepTheirOwnOrder() {
        HandExecutor ex = new HandExecutor();
        bus.subscribe(CallEvent.class).async(ex).handle(got::add);
        bus.publish(new Stats("c", 1));
        bus.publish(new Ringing("c", 2));
        bus.publish(new Ended("c", 3));
        bus.publish(new Answered("c", 4));
        bus.publish(new Ended("c", 5));
        ex.runAll();
        assertThat(got).containsExactly(new Ended("c", 3), new Ended("c", 5),
                new Ringing("c", 2), new Answered("c", 4), new Stats("c", 1));
    }

    @Test
    void aSubscriberMayAssignItsOwnPriorities() {
        HandExecutor ex = new HandExecutor();
        bus.subscribe(CallEvent.class).async(ex)
                .priority(e -> e instanceof Answered ? EventPriority.CRITICAL : EventPriority.NORMAL)
                .handle(got::add);
        bus.publish(new Ringing("c", 1));
        bus.publish(new Answered("c", 2));
        ex.runAll();
        assertThat(got).containsExactly(new Answered("c", 2), new Ringing("c", 1));
    }

    @Test
    void dropOldestEvictsLowBeforeNormalAndNeverCritical() {
        HandExecutor ex = new HandExecutor();
        Subscription s = bus.subscribe(CallEvent.class).async(ex).queueCapacity(4)
                .backpressure(BackpressurePolicy.DROP_OLDEST).handle(got::add);
        bus.publish(new Stats("c", 1));
        bus.publish(new Stats("c", 2));
        bus.publish(new Ringing("c", 3));
        bus.publish(new Ended("c", 4));
        assertThat(bus.publish(new Answered("c", 5))).as("evicts Stats 1").isTrue();
        assertThat(bus.publish(new Answered("c", 6))).as("evicts Stats 2").isTrue();
        assertThat(bus.publish(new Stats("c", 7))).as("no low event left to evict").isFalse();
        assertThat(bus.publish(new Ended("c", 8))).as("evicts Ringing 3").isTrue();
        assertThat(bus.publish(new Ended("c", 9))).as("evicts Answered 5").isTrue();
        assertThat(bus.publish(new Ended("c", 10))).as("evicts Answered 6").isTrue();
        assertThat(bus.publish(new Ended("c", 11))).as("only critical left: the new one goes").isFalse();
        assertThat(s.metrics().queued()).isEqualTo(4);
        ex.runAll();
        assertThat(got).containsExactly(new Ended("c", 4), new Ended("c", 8), new Ended("c", 9), new Ended("c", 10));
        assertThat(s.metrics().dropped()).isEqualTo(7);
        assertThat(s.metrics().delivered()).isEqualTo(4);
        assertThat(s.metrics().queued()).isZero();
    }

    @Test
    void failPolicyRejectsAfterServingTheOthers() {
        HandExecutor ex = new HandExecutor();
        Subscription full = bus.subscribe(CallEvent.class).name("full").async(ex).queueCapacity(1)
                .backpressure(BackpressurePolicy.FAIL).handle(e -> { });
        bus.subscribe(CallEvent.class).handle(got::add);
        bus.publish(new Ringing("c", 1));
        assertThatThrownBy(() -> bus.publish(new Ringing("c", 2)))
                .isInstanceOf(EventRejectedException.class)
                .satisfies(e -> assertThat(((EventRejectedException) e).subscription()).isEqualTo("full"));
        assertThat(got).containsExactly(new Ringing("c", 1), new Ringing("c", 2));
        assertThat(full.metrics().rejected()).isEqualTo(1);
    }

    @Test
    void blockPolicyGivesUpAfterItsTimeoutAndCounts() {
        HandExecutor ex = new HandExecutor();
        Subscription s = bus.subscribe(CallEvent.class).async(ex).queueCapacity(2)
                .backpressure(BackpressurePolicy.BLOCK).blockTimeout(java.time.Duration.ZERO).handle(got::add);
        assertThat(bus.publish(new Ringing("c", 1))).isTrue();
        assertThat(bus.publish(new Ringing("c", 2))).isTrue();
        assertThat(bus.publish(new Ringing("c", 3))).isFalse();
        ex.runAll();
        assertThat(got).hasSize(2);
        assertThat(s.metrics().dropped()).isEqualTo(1);
    }

    @Test
    void blockPolicyWaitsForTheConsumerToMakeRoom() throws Exception {
        HandExecutor ex = new HandExecutor();
        Subscription s = bus.subscribe(CallEvent.class).async(ex).queueCapacity(2)
                .backpressure(BackpressurePolicy.BLOCK).blockTimeout(java.time.Duration.ofSeconds(30))
                .handle(got::add);
        Thread publisher = new Thread(() -> {
            for (int i = 0; i < 20; i++) {
                bus.publish(new Ringing("c", i));
            }
        });
        publisher.start();
        while (publisher.isAlive()) {
            ex.runAll();
            publisher.join(1);
        }
        ex.runAll();
        assertThat(got).hasSize(20);
        assertThat(s.metrics().dropped()).isZero();
    }

    @Test
    void anExecutorThatRejectsLosesEventsVisibly() {
        Subscription s = bus.subscribe(CallEvent.class).async(r -> {
            throw new RejectedExecutionException("shut down");
        }).handle(got::add);
        bus.publish(new Ringing("c", 1));
        bus.publish(new Ringing("c", 2));
        assertThat(got).isEmpty();
        assertThat(s.metrics().dropped()).isEqualTo(2);
        assertThat(s.metrics().queued()).isZero();
    }

    @Test
    void unsubscribingAnAsyncSubscriberDiscardsItsBacklog() {
        HandExecutor ex = new HandExecutor();
        Subscription s = bus.subscribe(CallEvent.class).async(ex).handle(got::add);
        bus.publish(new Ringing("c", 1));
        bus.publish(new Ringing("c", 2));
        s.unsubscribe();
        ex.runAll();
        assertThat(got).isEmpty();
        assertThat(s.metrics().dropped()).isEqualTo(2);
        assertThat(s.metrics().queued()).isZero();
    }

    @Test
    void aClosedBusRefusesEventsButDeliversWhatWasQueued() {
        HandExecutor ex = new HandExecutor();
        bus.subscribe(CallEvent.class).async(ex).handle(got::add);
        bus.publish(new Ringing("c", 1));
        bus.close();
        assertThat(bus.publish(new Ringing("c", 2))).isFalse();
        ex.runAll();
        assertThat(got).containsExactly(new Ringing("c", 1));
        assertThat(bus.metrics().refusedClosed()).isEqualTo(1);
        assertThat(bus.isClosed()).isTrue();
    }
}
