package io.rvoip.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipMethod;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keys: equality by all three parts, and a hash a peer cannot steer into collisions ({@code KeyHash}). */
class TransactionKeyTest {

    @Test
    void equalByBranchSentByAndMethod() {
        TransactionKey a = new TransactionKey("z9hg4bk1", "192.0.2.1:5060", SipMethod.OPTIONS);
        assertThat(a).isEqualTo(new TransactionKey("z9hg4bk1", "192.0.2.1:5060", SipMethod.OPTIONS))
                .hasSameHashCodeAs(new TransactionKey("z9hg4bk1", "192.0.2.1:5060", SipMethod.OPTIONS));
        assertThat(a).isNotEqualTo(new TransactionKey("z9hg4bk2", "192.0.2.1:5060", SipMethod.OPTIONS))
                .isNotEqualTo(new TransactionKey("z9hg4bk1", "192.0.2.1:5061", SipMethod.OPTIONS))
                .isNotEqualTo(new TransactionKey("z9hg4bk1", "192.0.2.1:5060", SipMethod.BYE));
    }

    @Test
    void branchesThatCollideForStringHashCodeDoNotCollideHere() {
        // "Aa" and "BB" have the same String hash, so 2^12 branches made of them share one
        String[] parts = {"Aa", "BB"};
        Set<Integer> stringHashes = new HashSet<>();
        Set<Integer> keyHashes = new HashSet<>();
        for (int i = 0; i < 1 << 12; i++) {
            StringBuilder b = new StringBuilder("z9hG4bK");
            for (int bit = 0; bit < 12; bit++) {
                b.append(parts[(i >> bit) & 1]);
            }
            stringHashes.add(b.toString().hashCode());
            keyHashes.add(new TransactionKey(b.toString(), "192.0.2.1:5060", SipMethod.INVITE).hashCode());
        }
        assertThat(stringHashes).hasSize(1);
        // distinct unless the random multiplier is ≡ 31 modulo a high power of two (odds ~1e-6)
        assertThat(keyHashes).as("mostly distinct").hasSizeGreaterThan(2_048);
    }
}
