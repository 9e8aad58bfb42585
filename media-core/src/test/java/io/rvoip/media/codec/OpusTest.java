package io.rvoip.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.AudioData;
import org.junit.jupiter.api.Test;

/** Opus through Concentus: round trips at several rates and bitrates, concealment, DTX, SDP fmtp both ways. */
class OpusTest {
    /** Encodes and decodes {@code pcm} in 20 ms frames; returns the decoded audio. */
    private static short[] roundTrip(Opus opus, short[] pcm) {
        AudioEncoder enc = opus.newEncoder();
        AudioDecoder dec = opus.newDecoder();
        int frame = opus.samplesPerFrame(20);
        short[] out = new short[pcm.length];
        byte[] packet = new byte[opus.maxEncodedBytes(frame)];
        for (int f = 0; f + frame <= pcm.length; f += frame) {
            int n = enc.encode(pcm, f, frame, packet, 0);
            assertThat(n).isBetween(3, 1275);
            assertThat(dec.decode(packet, 0, n, out, f)).isEqualTo(frame);
        }
        return out;
    }

    /** The best normalised cross-correlation over lags 0..maxLag (the codec's look-ahead delays the output). */
    static double correlation(short[] ref, short[] out, int maxLag) {
        double best = 0;
        for (int lag = 0; lag <= maxLag; lag++) {
            double xy = 0;
            double xx = 0;
            double yy = 0;
            for (int i = 0; i + lag < out.length && i < ref.length; i++) {
                xy += (double) ref[i] * out[i + lag];
                xx += (double) ref[i] * ref[i];
                yy += (double) out[i + lag] * out[i + lag];
            }
            best = Math.max(best, xy / Math.sqrt(xx * yy + 1e-9));
        }
        return best;
    }

    @Test
    void speechSurvivesAtSeveralRatesAndBitrates() {
        short[] s48 = AudioData.wav("speech48k.wav").samples();
        short[] s16 = AudioData.wav("speech16k.wav").samples();
        record Case(int rate, int bitrate, short[] pcm, double floor) {
        }
        for (Case c : new Case[] {new Case(48000, 64000, s48, 0.95), new Case(48000, 32000, s48, 0.9),
            new Case(16000, 24000, s16, 0.9), new Case(16000, 12000, s16, 0.8)}) {
            Opus opus = new Opus(new Opus.Config(c.rate(), 1, c.bitrate(), 10, false, false, 48000, 0));
            double corr = correlation(c.pcm(), roundTrip(opus, c.pcm()), c.rate() / 50);
            assertThat(corr).as("%d Hz at %d bit/s", c.rate(), c.bitrate()).isGreaterThan(c.floor());
        }
    }

    @Test
    void lostFramesAreConcealedWithSoundNotSilence() {
        Opus opus = new Opus(new Opus.Config(16000, 1, 24000, 5, true, false, 48000, 10));
        short[] pcm = AudioData.wav("speech16k.wav").samples();
        AudioEncoder enc = opus.newEncoder();
        AudioDecoder dec = opus.newDecoder();
        byte[] packet = new byte[opus.maxEncodedBytes(320)];
        short[] out = new short[320];
        double concealedEnergy = 0;
        for (int f = 0; f + 320 <= 32000; f += 320) {
            int n = enc.encode(pcm, f, 320, packet, 0);
            if (f == 320 * 60) { // in the middle of speech
                assertThat(dec.conceal(out, 0, 320)).isEqualTo(320);
                for (short v : out) {
                    concealedEnergy += (double) v * v;
                }
            } else {
                dec.decode(packet, 0, n, out, 0);
            }
        }
        assertThat(concealedEnergy / 320).isGreaterThan(1000);
    }

    @Test
    void dtxSendsNothingForSilence() {
        Opus opus = new Opus(new Opus.Config(16000, 1, 24000, 5, false, true, 48000, 0));
        AudioEncoder enc = opus.newEncoder();
        short[] silence = new short[320];
        byte[] packet = new byte[opus.maxEncodedBytes(320)];
        int empty = 0;
        for (int i = 0; i < 50; i++) {
            if (enc.encode(silence, 0, 320, packet, 0) == 0) {
                empty++;
            }
        }
        assertThat(empty).as("after a few frames only the periodic DTX updates go").isBetween(35, 47);
    }

    @Test
    void fmtpIsStatedAndTheRemoteOneIsHonoured() {
        assertThat(Opus.VOICE.fmtp()).isEqualTo("minptime=10;useinbandfec=1;maxaveragebitrate=32000");
        Opus wide = new Opus(new Opus.Config(16000, 2, 40000, 5, false, true, 48000, 0));
        assertThat(wide.fmtp()).isEqualTo("minptime=10;useinbandfec=1;stereo=1;sprop-stereo=1;usedtx=1;"
                + "maxplaybackrate=16000;sprop-maxcapturerate=16000;maxaveragebitrate=40000");
        Opus toPeer = wide.forPeer("maxplaybackrate=8000; maxaveragebitrate=20000;useinbandfec=1");
        assertThat(toPeer.config()).isEqualTo(new Opus.Config(16000, 1, 20000, 5, true, false, 8000, 0));
        assertThat(wide.forPeer("stereo=1").channels()).isEqualTo(2);
        assertThat(wide.forPeer("maxaveragebitrate=junk").config().bitrate()).isEqualTo(40000);
        assertThat(Opus.VOICE.clockRate()).isEqualTo(48000);
        assertThat(new Opus(new Opus.Config(8000, 1, 12000, 5, false, false, 8000, 0)).timestampUnits(20)).isEqualTo(960);
        assertThat(CodecRegistry.of(false, Opus.VOICE).offer().get(0).rtpmap()).isEqualTo("96 opus/48000/2");
    }
}
