package io.rvoip.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.cn.ComfortNoiseGenerator;
import io.rvoip.media.dtmf.TelephoneEventReceiver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Payloads come from the network: every decoder, fed mutated real payloads and random bytes of
 * any length, either decodes into the buffer it was given or refuses with the
 * {@link IllegalArgumentException} its contract names (the media session then conceals), and
 * concealment from a garbage "next" packet still fills the frame. Comfort-noise and
 * telephone-event payloads likewise. Seeded.
 */
class DecoderFuzzTest {
    private final Random random = new Random(4733);

    @Test
    void everyDecoderDecodesOrRefusesGarbageAndConcealsFromIt() {
        AudioCodec[] codecs = {G711.PCMU, G711.PCMA, G722.INSTANCE, L16.MONO_16K, Opus.VOICE};
        for (AudioCodec codec : codecs) {
            int rounds = codec instanceof Opus ? 20_000 : 100_000;
            List<byte[]> seeds = payloads(codec);
            AudioDecoder dec = codec.newDecoder();
            int frame = codec.sampleRate() / 50 * codec.channels();
            short[] pcm = new short[codec.sampleRate() * 120 / 1000 * codec.channels() + 16]; // the longest frame, 120 ms
            int decoded = 0;
            for (int i = 0; i < rounds; i++) {
                byte[] p = random.nextInt(10) == 0 ? randomBytes(random.nextInt(1500)) : mutate(seeds.get(random.nextInt(seeds.size())));
                try {
                    int n = dec.decode(p, 0, p.length, pcm, 0);
                    assertThat(n * codec.channels()).as("%s decoded %d bytes", codec, p.length).isBetween(0, pcm.length);
                    decoded++;
                } catch (IllegalArgumentException refused) {
                    // the session conceals instead
                } catch (RuntimeException e) {
                    throw new AssertionError(codec + " threw " + e + " on " + p.length + " bytes: " + Arrays.toString(p), e);
                }
                if (i % 7 == 0) {
                    int samples = frame / codec.channels();
                    assertThat(dec.concealFromNext(p, 0, p.length, pcm, 0, samples)).isEqualTo(samples);
                    assertThat(dec.conceal(pcm, 0, samples)).isEqualTo(samples);
                }
            }
            assertThat(decoded).as("%s: some mutants decode, so the bounds were checked", codec).isGreaterThan(rounds / 10);
        }
    }

    @Test
    void comfortNoiseAndTelephoneEventsTakeAnyPayload() {
        ComfortNoiseGenerator cn = new ComfortNoiseGenerator(1);
        TelephoneEventReceiver events = new TelephoneEventReceiver(160, e -> { });
        short[] out = new short[960];
        long ts = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] p = randomBytes(random.nextInt(i % 10 == 0 ? 400 : 16));
            try {
                cn.update(p, 0, p.length);
            } catch (IllegalArgumentException empty) {
                assertThat(p).isEmpty();
            }
            cn.generate(out, 0, 160);
            ts += random.nextInt(3) == 0 ? random.nextInt() : 160;
            events.onPacket(ts & 0xFFFFFFFFL, p, 0, p.length, i * 160L);
        }
        // after all that, noise is still noise: bounded, not stuck at a rail
        cn.update(new byte[] {60, 0, 0}, 0, 3);
        for (int k = 0; k < 100; k++) {
            cn.generate(out, 0, out.length);
        }
        int max = 0;
        for (short s : out) {
            max = Math.max(max, Math.abs(s));
        }
        assertThat(max).isBetween(1, 32000);
    }

    private List<byte[]> payloads(AudioCodec codec) {
        AudioEncoder enc = codec.newEncoder();
        int frame = codec.sampleRate() / 50;
        short[] pcm = new short[frame * codec.channels()];
        List<byte[]> out = new ArrayList<>();
        double v = 0;
        for (int f = 0; f < 25; f++) {
            for (int i = 0; i < pcm.length; i++) {
                v = 0.97 * v + random.nextGaussian() * 900;
                pcm[i] = (short) Math.max(-32768, Math.min(32767, v));
            }
            byte[] buf = new byte[4000];
            int n = enc.encode(pcm, 0, frame, buf, 0);
            out.add(Arrays.copyOf(buf, n));
        }
        return out;
    }

    private byte[] mutate(byte[] seed) {
        byte[] b = seed.clone();
        for (int e = 1 + random.nextInt(3); e > 0; e--) {
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    if (b.length > 0) {
                        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 2 -> {
                    if (b.length > 0) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
                case 3 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                default -> b = Arrays.copyOf(b, b.length + 1 + random.nextInt(64));
            }
        }
        return b;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
