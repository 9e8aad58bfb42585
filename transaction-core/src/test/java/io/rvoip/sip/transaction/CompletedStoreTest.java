package io.rvoip.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte store of Completed non-INVITE transactions, against a plain map as the model. */
class CompletedStoreTest {

    private static TransactionKey key(String branch, String sentBy, SipMethod method) {
        return new TransactionKey(branch, sentBy, method);
    }

    @Test
    void findsWhatItHoldsUntilItsTimeAndGivesTheResponseBackByteForByte() {
        CompletedStore store = new CompletedStore(Long.MAX_VALUE);
        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        SipResponse ok = Fixture.response(options, 200);
        TransactionKey k = key("z9hg4bk1", "192.0.2.1:5060", SipMethod.OPTIONS);
        assertThat(store.put(CompletedStore.SERVER, k, ok, 1_000)).isTrue();
        long at = store.find(CompletedStore.SERVER, k, 999);
        assertThat(at).isNotNegative();
        assertThat(store.response(at)).isEqualTo(ok.toByteArray());
        assertThat(store.find(CompletedStore.SERVER, k, 1_000)).as("expired at its time").isNegative();
        assertThat(store.find(CompletedStore.CLIENT, k, 0)).as("another kind").isNegative();
        assertThat(store.find(CompletedStore.SERVER, key("z9hg4bk1", "192.0.2.1:5061", SipMethod.OPTIONS), 0))
                .isNegative();
        assertThat(store.find(CompletedStore.SERVER, key("z9hg4bk1", "192.0.2.1:5060", SipMethod.REGISTER), 0))
                .isNegative();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.expire(999)).isEqualTo(1_000);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.expire(1_000)).isEqualTo(Long.MAX_VALUE);
        assertThat(store.size()).isZero();
    }

    @Test
    void keysWithTheSameHashAreToldApart() {
        // with 31 as the multiplier "Aa" and "BB" hash alike, so these branches collide
        CompletedStore store = new CompletedStore(Long.MAX_VALUE, 31);
        assertThat(store.hash(CompletedStore.CLIENT, "z9hg4bkAa", "h:1", "BYE"))
                .isEqualTo(store.hash(CompletedStore.CLIENT, "z9hg4bkBB", "h:1", "BYE"));
        TransactionKey a = key("z9hg4bkAa", "h:1", SipMethod.BYE);
        TransactionKey b = key("z9hg4bkBB", "h:1", SipMethod.BYE);
        store.put(CompletedStore.CLIENT, a, null, 10);
        store.put(CompletedStore.CLIENT, b, null, 20);
        long fa = store.find(CompletedStore.CLIENT, a, 0);
        long fb = store.find(CompletedStore.CLIENT, b, 0);
        assertThat(fa).isNotNegative();
        assertThat(fb).isNotNegative().isNotEqualTo(fa);
        store.expire(10);
        assertThat(store.find(CompletedStore.CLIENT, a, 0)).isNegative();
        assertThat(store.find(CompletedStore.CLIENT, b, 0)).as("still found after its twin left").isEqualTo(fb);
    }

    @Test
    void aPeerCannotPredictTheHash() {
        // the collision that holds for 31 holds for no random multiplier but by chance
        int collisions = 0;
        for (int i = 0; i < 64; i++) {
            CompletedStore s = new CompletedStore(Long.MAX_VALUE);
            if (s.hash(CompletedStore.CLIENT, "z9hg4bkAa", "h:1", "BYE") == s.hash(CompletedStore.CLIENT, "z9hg4bkBB", "h:1", "BYE")) {
                collisions++;
            }
        }
        assertThat(collisions).isLessThan(4);
    }

    @Test
    void refusesWhatItCannotHold() {
        CompletedStore store = new CompletedStore(Long.MAX_VALUE);
        assertThat(store.put(CompletedStore.CLIENT, key("z9hg4bké", "h", SipMethod.BYE), null, 1)).isFalse();
        assertThat(store.put(CompletedStore.CLIENT, key("z9hg4bk" + "x".repeat(CompletedStore.MAX_RECORD), "h",
                SipMethod.BYE), null, 1)).isFalse();
        assertThat(store.size()).isZero();
        assertThat(store.bytes()).isZero();
    }

    @Test
    void aKeyOutsideAsciiNeverMatchesAnAsciiOne() {
        CompletedStore store = new CompletedStore(Long.MAX_VALUE, 31);
        String branch = "z9hg4bkabcdefghij";
        store.put(CompletedStore.CLIENT, key(branch, "h", SipMethod.BYE), null, 10);
        // the same low bytes, and (25 + 191·31 + 122·31⁹)·256 ≡ 0 mod 2³²: the same 32-bit hash
        char[] b = branch.toCharArray();
        int last = b.length - 1;
        b[last] += 25 * 256;
        b[last - 1] += 191 * 256;
        b[last - 9] += 122 * 256;
        String forged = new String(b);
        assertThat(store.hash(CompletedStore.CLIENT, forged, "h", "BYE"))
                .isEqualTo(store.hash(CompletedStore.CLIENT, branch, "h", "BYE"));
        assertThat(store.find(CompletedStore.CLIENT, key(forged, "h", SipMethod.BYE), 0)).isNegative();
        assertThat(store.find(CompletedStore.CLIENT, key(branch, "h", SipMethod.BYE), 0)).isNotNegative();
    }

    @Test
    void staysWithinItsByteBoundByDroppingTheOldestFirst() {
        CompletedStore store = new CompletedStore(3L * CompletedStore.CHUNK);
        int n = 100_000; // ~25 MB of records through a 768 KiB store
        for (int i = 0; i < n; i++) {
            assertThat(store.put(CompletedStore.CLIENT, key("z9hg4bk" + i + "x".repeat(200), "h:1", SipMethod.BYE),
                    null, Long.MAX_VALUE / 2)).isTrue();
            assertThat(store.bytes()).isLessThanOrEqualTo(5L * CompletedStore.CHUNK);
        }
        assertThat(store.evicted()).isPositive();
        assertThat(store.size() + store.evicted()).isEqualTo(n);
        assertThat(store.find(CompletedStore.CLIENT, key("z9hg4bk0" + "x".repeat(200), "h:1", SipMethod.BYE), 0))
                .as("the oldest went first").isNegative();
        assertThat(store.find(CompletedStore.CLIENT, key("z9hg4bk" + (n - 1) + "x".repeat(200), "h:1", SipMethod.BYE), 0))
                .isNotNegative();
        assertThat(new CompletedStore(CompletedStore.CHUNK - 1).put(CompletedStore.CLIENT,
                key("z9hg4bk1", "h:1", SipMethod.BYE), null, 1)).as("below one chunk: takes nothing").isFalse();
    }

    /** Seeded random puts, finds and expiries over many chunks; every answer is checked against a map. */
    @Test
    void agreesWithAMapThroughGrowthChunkTurnoverAndDeletion() {
        Random random = new Random(42);
        CompletedStore store = new CompletedStore(Long.MAX_VALUE);
        Map<TransactionKey, Long> model = new HashMap<>();
        ArrayDeque<TransactionKey> order = new ArrayDeque<>();
        ArrayDeque<Long> expiries = new ArrayDeque<>();
        long now = 0;
        int serial = 0;
        for (int step = 0; step < 400_000; step++) {
            now += random.nextInt(3);
            int op = random.nextInt(10);
            if (op < 5) {
                // a branch of 8 to 200 characters, so records take from ~40 to ~250 bytes
                String branch = "z9hg4bk" + serial++ + "x".repeat(random.nextInt(190));
                TransactionKey k = key(branch, "host" + random.nextInt(5) + ":5060", SipMethod.OPTIONS);
                long expiry = now + 50_000;
                assertThat(store.put(CompletedStore.CLIENT, k, null, expiry)).isTrue();
                model.put(k, expiry);
                order.add(k);
                expiries.add(expiry);
            } else if (op < 9 && !order.isEmpty()) {
                // look up a random live or dead key: the newest, the oldest, or one long gone
                TransactionKey k = switch (random.nextInt(3)) {
                    case 0 -> order.peekLast();
                    case 1 -> order.peekFirst();
                    default -> key("z9hg4bk" + random.nextInt(serial + 1), "host0:5060", SipMethod.OPTIONS);
                };
                Long expiry = model.get(k);
                boolean live = expiry != null && expiry > now;
                assertThat(store.find(CompletedStore.CLIENT, k, now) >= 0).as("step %d, %s", step, k).isEqualTo(live);
            } else {
                store.expire(now);
                while (!expiries.isEmpty() && expiries.peekFirst() <= now) {
                    model.remove(order.pollFirst());
                    expiries.pollFirst();
                }
                assertThat(store.size()).isEqualTo(model.size());
            }
        }
        assertThat(store.bytes()).as("grew over many chunks").isGreaterThan(4L * CompletedStore.CHUNK);
        store.expire(Long.MAX_VALUE / 2);
        assertThat(store.size()).isZero();
        assertThat(store.bytes()).isLessThanOrEqualTo(3L * CompletedStore.CHUNK);
        for (TransactionKey k : order) {
            assertThat(store.find(CompletedStore.CLIENT, k, now)).isNegative();
        }
    }
}
