package io.rvoip.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
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
        String[] parts = {"Aa", "BB"};
        Set<Integer> recordStyle = new HashSet<>();
        Set<Integer> ours = new HashSet<>();
        for (int i = 0; i < 1 << 12; i++) {
            StringBuilder b = new StringBuilder();
            for (int bit = 0; bit < 12; bit++) {
                b.append(parts[(i >> bit) & 1]);
            }
            String callId = b.toString();
            recordStyle.add((callId.hashCode() * 31 + "l".hashCode()) * 31 + "r".hashCode());
            ours.add(new DialogId(callId, "l", "r").hashCode());
        }
        assertThat(recordStyle).as("what a String-based hash gives").hasSize(1);
        assertThat(ours).as("mostly distinct (odds of failing ~1e-6)").hasSizeGreaterThan(2_048);
    }
}
