package io.rvoip.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipMethod;
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
        // "Aa" and "BB" share a String hash; KeyHash (tested in infra-common) tells them apart
        assertThat("z9hG4bKAa".hashCode()).isEqualTo("z9hG4bKBB".hashCode());
        assertThat(new TransactionKey("z9hG4bKAa", "192.0.2.1:5060", SipMethod.INVITE).hashCode())
                .isNotEqualTo(new TransactionKey("z9hG4bKBB", "192.0.2.1:5060", SipMethod.INVITE).hashCode());
    }
}
