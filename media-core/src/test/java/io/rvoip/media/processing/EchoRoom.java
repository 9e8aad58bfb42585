package io.rvoip.media.processing;

import io.rvoip.media.io.AudioSink;
import io.rvoip.media.io.AudioSource;

/**
 * A loudspeaker and a microphone in one room, for tests of echo cancellation through whole calls:
 * what is written to the sink comes back from the source delayed, through a seeded synthetic
 * room response (RT60 200 ms), at an echo level, plus microphone noise.
 */
public final class EchoRoom implements AudioSink, AudioSource {
    private final int rate;
    private final float[] h;
    private final float[] played;
    private final float[] noise;
    private final int delay;
    private int written;
    private int read;

    /**
     * @param rate      Hz
     * @param seconds   how long the room records (longer calls hear silence)
     * @param delayMs   the device delay
     * @param echoDb    the echo's level relative to what was played
     * @param noiseDbfs the microphone noise
     */
    public EchoRoom(int rate, int seconds, int delayMs, double echoDb, double noiseDbfs) {
        this.rate = rate;
        this.h = Scenarios.roomImpulse(rate, 250, 200, 5);
        float g = (float) Math.pow(10, echoDb / 20);
        for (int i = 0; i < h.length; i++) {
            h[i] *= g;
        }
        this.played = new float[rate * seconds];
        this.noise = Scenarios.whiteNoise(rate * seconds, noiseDbfs, 6);
        this.delay = rate * delayMs / 1000;
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public synchronized void write(short[] pcm, int off, int samples) {
        for (int i = 0; i < samples && written < played.length; i++) {
            played[written++] = pcm[off + i];
        }
    }

    @Override
    public synchronized void read(short[] pcm, int off, int samples) {
        for (int i = 0; i < samples; i++, read++) {
            float v = read < noise.length ? noise[read] : 0;
            int t = read - delay;
            for (int k = 0; k < h.length && t - k >= 0; k++) {
                if (t - k < written) {
                    v += h[k] * played[t - k];
                }
            }
            pcm[off + i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
    }
}
