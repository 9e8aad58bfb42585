package io.rvoip.media.io;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/**
 * Live audio devices through {@code javax.sound.sampled}: the default microphone as an {@link
 * AudioSource} and the default speaker as an {@link AudioSink}, 16-bit mono at the rate asked
 * for. Neither blocks the media clock: the microphone gives what the device has captured and
 * pads with silence (counted as underruns), the speaker takes what fits in the device buffer
 * and drops the rest (counted as overruns). When the machine has no such device (servers, CI)
 * opening fails with {@link Unavailable}, never with a silent fake.
 *
 * <pre>{@code
 * try (SoundDevice.Microphone mic = SoundDevice.microphone(16000);
 *      SoundDevice.Speaker speaker = SoundDevice.speaker(16000)) {
 *     MediaSession media = MediaSession.builder(G722.INSTANCE, 9).source(mic).sink(speaker).build();
 *     ...
 * } catch (SoundDevice.Unavailable e) {
 *     // no sound card: run without local audio
 * }
 * }</pre>
 */
public final class SoundDevice {
    private static final int BUFFER_MS = 100;

    private SoundDevice() {
    }

    /** No usable audio device (none installed, busy, or the format is not supported). */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static AudioFormat format(int rate) {
        return new AudioFormat(rate, 16, 1, true, false);
    }

    /** Opens the default capture device at {@code rate} Hz. */
    public static Microphone microphone(int rate) throws Unavailable {
        return new Microphone(open(TargetDataLine.class, rate, "capture", (l, f, b) -> l.open(f, b)), rate);
    }

    /** Opens the default playback device at {@code rate} Hz. */
    public static Speaker speaker(int rate) throws Unavailable {
        return new Speaker(open(SourceDataLine.class, rate, "playback", (l, f, b) -> l.open(f, b)), rate);
    }

    /** How a line of type {@code L} opens (capture and playback lines share no such method). */
    @FunctionalInterface
    private interface Opener<L> {
        void open(L line, AudioFormat format, int bufferBytes) throws LineUnavailableException;
    }

    private static <L extends DataLine> L open(Class<L> type, int rate, String what, Opener<L> opener) throws Unavailable {
        AudioFormat f = format(rate);
        DataLine.Info info = new DataLine.Info(type, f);
        if (!AudioSystem.isLineSupported(info)) {
            throw new Unavailable("no audio " + what + " device supports 16-bit mono at " + rate + " Hz", null);
        }
        try {
            L line = type.cast(AudioSystem.getLine(info));
            opener.open(line, f, rate * BUFFER_MS / 1000 * 2);
            line.start();
            return line;
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            throw new Unavailable("the audio " + what + " device cannot be opened: " + e.getMessage(), e);
        }
    }

    /** What both devices hold: the line, the rate, a byte buffer. */
    private abstract static class Device<L extends DataLine> implements AutoCloseable {
        final L line;
        final int rate;
        private byte[] buf = new byte[0];

        Device(L line, int rate) {
            this.line = line;
            this.rate = rate;
        }

        public int sampleRate() {
            return rate;
        }

        byte[] buffer(int samples) {
            if (buf.length < samples * 2) {
                buf = new byte[samples * 2];
            }
            return buf;
        }

        @Override
        public void close() {
            line.stop();
            line.close();
        }
    }

    /** The default microphone. Close it to release the device. */
    public static final class Microphone extends Device<TargetDataLine> implements AudioSource {
        private volatile long underruns;

        private Microphone(TargetDataLine line, int rate) {
            super(line, rate);
        }

        @Override
        public void read(short[] pcm, int off, int samples) {
            byte[] buf = buffer(samples);
            int want = Math.min(samples * 2, line.available() & ~1);
            int got = want > 0 ? line.read(buf, 0, want) : 0;
            int n = got / 2;
            for (int i = 0; i < n; i++) {
                pcm[off + i] = (short) ((buf[2 * i] & 0xFF) | (buf[2 * i + 1] << 8));
            }
            if (n < samples) {
                java.util.Arrays.fill(pcm, off + n, off + samples, (short) 0);
                underruns += samples - n;
            }
        }

        /** Samples of silence given because the device had not captured enough. */
        public long underruns() {
            return underruns;
        }
    }

    /** The default speaker. Close it to release the device. */
    public static final class Speaker extends Device<SourceDataLine> implements AudioSink {
        private volatile long overruns;

        private Speaker(SourceDataLine line, int rate) {
            super(line, rate);
        }

        @Override
        public void write(short[] pcm, int off, int samples) {
            byte[] buf = buffer(samples);
            int fits = Math.min(samples, line.available() / 2);
            for (int i = 0; i < fits; i++) {
                short v = pcm[off + i];
                buf[2 * i] = (byte) v;
                buf[2 * i + 1] = (byte) (v >> 8);
            }
            if (fits > 0) {
                line.write(buf, 0, fits * 2);
            }
            if (fits < samples) {
                overruns += samples - fits;
            }
        }

        /** Samples dropped because the device buffer was full. */
        public long overruns() {
            return overruns;
        }

        @Override
        public void close() {
            line.drain();
            super.close();
        }
    }
}
