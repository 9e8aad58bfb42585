package io.rvoip.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Dialog ids: equality by their three parts, and a hash a peer cannot steer into collisions. */
class DialogIdTest {

    @Test
    void equalByAllThreeParts() {
        DialogId a = new DialogId("c1", "l1", "r1");
        assertThat(a).isEqualTo(new DialogId("c1", "l1", "r1")).hasSameHashCodeAs(new DialogId("c1", "l1", "r1"));
        assertThat(a).isNotEqualTo(new DialogId("c2", "l1", "r1")).isNotEqualTo(new DialogId("c1", "l2", "r1"))
                .isNotEqualTo(new DialogId("c1", "l1", "r2"));
    }

    @Test
    void callIdsThatCollideForStringHashCodeDoNotCollideHere() {
        // "Aa" and "BB" share a String hash; KeyHash (tested in infra-common) tells them apart
        assertThat("callAa".hashCode()).isEqualTo("callBB".hashCode());
        assertThat(new DialogId("callAa", "l", "r").hashCode()).isNotEqualTo(new DialogId("callBB", "l", "r").hashCode());
    }
}
