package io.rvoip.media;

import io.rvoip.media.io.WavFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The audio oracles of shared/testdata/audio, and signal measures for tests. */
public final class AudioData {
    private AudioData() {
    }

    /** shared/testdata/audio/{@code name}. */
    public static Path file(String name) {
        String prop = System.getProperty("rvoip.shared");
        if (prop != null) {
            return Path.of(prop, "testdata", "audio", name);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            for (Path c : new Path[] {p.resolve("shared"), p.resolveSibling("shared")}) {
                if (Files.isDirectory(c.resolve("testdata/audio"))) {
                    return c.resolve("testdata/audio").resolve(name);
                }
            }
            p = p.getParent();
        }
        throw new IllegalStateException("shared/testdata/audio not found");
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static WavFile wav(String name) {
        try {
            return WavFile.read(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Signal-to-noise ratio of {@code test} against {@code ref}, dB, {@code test} lagging by {@code lag}. */
    public static double snr(short[] ref, short[] test, int lag, int from, int to) {
        double signal = 0;
        double noise = 0;
        for (int i = from; i < to; i++) {
            double r = ref[i];
            double t = test[i + lag];
            signal += r * r;
            noise += (r - t) * (r - t);
        }
        return 10 * Math.log10(signal / Math.max(noise, 1e-9));
    }

    /** See {@link io.rvoip.media.quality.Similarity#crossCorrelation}. */
    public static double crossCorrelation(short[] ref, short[] out, int maxLag, int window) {
        return io.rvoip.media.quality.Similarity.crossCorrelation(ref, out, maxLag, window);
    }

    /** Power of {@code f} Hz in {@code x[from..to)} relative to the block's total power, dB (Goertzel). */
    public static double relativePower(short[] x, int from, int to, double f, int rate) {
        double c = 2 * Math.cos(2 * Math.PI * f / rate);
        double s1 = 0;
        double s2 = 0;
        double total = 0;
        for (int i = from; i < to; i++) {
            double s = x[i] + c * s1 - s2;
            s2 = s1;
            s1 = s;
            total += (double) x[i] * x[i];
        }
        double p = s1 * s1 + s2 * s2 - c * s1 * s2;
        return 10 * Math.log10(2 * p / (to - from) / Math.max(total, 1e-9));
    }
}
