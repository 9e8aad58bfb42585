package io.rvoip.infra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hashes that crafted strings cannot make collide. */
class KeyHashTest {

    @Test
    void stringsThatCollideForStringHashCodeDoNotCollideHere() {
        // "Aa" and "BB" have the same String hash, so 2^12 strings made of them share one
        String[] parts = {"Aa", "BB"};
        Set<Integer> stringHashes = new HashSet<>();
        Set<Integer> keyHashes = new HashSet<>();
        for (int i = 0; i < 1 << 12; i++) {
            StringBuilder b = new StringBuilder("z9hG4bK");
            for (int bit = 0; bit < 12; bit++) {
                b.append(parts[(i >> bit) & 1]);
            }
            stringHashes.add(b.toString().hashCode());
            keyHashes.add(KeyHash.of(b.toString()));
        }
        assertThat(stringHashes).hasSize(1);
        // distinct unless the random multiplier is ≡ 31 modulo a high power of two (odds ~1e-6)
        assertThat(keyHashes).as("mostly distinct").hasSizeGreaterThan(2_048);
    }

    @Test
    void equalStringsHashAlikeAndTheSeparatorCounts() {
        assertThat(KeyHash.of(new String("call-1"))).isEqualTo(KeyHash.of("call-1"));
        assertThat(KeyHash.mix(KeyHash.of("ab"), "c")).isNotEqualTo(KeyHash.mix(KeyHash.of("a"), "bc"));
    }
}
