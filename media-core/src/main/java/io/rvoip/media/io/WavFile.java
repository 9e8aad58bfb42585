package io.rvoip.media.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * RIFF/WAVE files of 16-bit linear PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM
 * sub-format), any sample rate, mono or interleaved channels. Chunks other than {@code fmt }
 * and {@code data} are skipped; anything else is refused with an {@link IOException}.
 *
 * @param sampleRate samples per second per channel
 * @param channels interleaved channels in {@code samples}
 * @param samples the PCM, interleaved
 */
public record WavFile(int sampleRate, int channels, short[] samples) {
    private static final int MAX_BYTES = 1 << 30;

    /** Validates the format. */
    public WavFile {
        if (sampleRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("sample rate and channels must be positive");
        }
    }

    /** Frames (samples per channel). */
    public int frames() {
        return samples.length / channels;
    }

    /** Reads a file. */
    public static WavFile read(Path path) throws IOException {
        if (Files.size(path) > MAX_BYTES) {
            throw new IOException("WAV file too large: " + path);
        }
        return parse(Files.readAllBytes(path));
    }

    /** Parses the bytes of a WAV file. */
    public static WavFile parse(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt() != 0x46464952) {
            throw new IOException("not a RIFF/WAVE file");
        }
        b.getInt(); // the RIFF size: the chunks are checked one by one instead
        if (b.getInt() != 0x45564157) {
            throw new IOException("not a RIFF/WAVE file");
        }
        int rate = -1;
        int channels = -1;
        while (b.remaining() >= 8) {
            int id = b.getInt();
            long size = b.getInt() & 0xFFFFFFFFL;
            if (size > b.remaining()) {
                throw new IOException("truncated chunk");
            }
            int start = b.position();
            if (id == 0x20746d66) { // "fmt "
                if (size < 16) {
                    throw new IOException("short fmt chunk");
                }
                int format = b.getShort() & 0xFFFF;
                channels = b.getShort() & 0xFFFF;
                rate = b.getInt();
                b.getInt(); // byte rate
                b.getShort(); // block align
                int bits = b.getShort() & 0xFFFF;
                if (format == 0xFFFE && size >= 40) {
                    b.position(start + 24);
                    format = b.getShort() & 0xFFFF; // the sub-format GUID starts with the format code
                }
                if (format != 1 || bits != 16) {
                    throw new IOException("only 16-bit PCM WAV is supported (format " + format + ", " + bits + " bits)");
                }
            } else if (id == 0x61746164) { // "data"
                if (rate < 0) {
                    throw new IOException("data before fmt");
                }
                short[] pcm = new short[(int) (size / 2)];
                b.asShortBuffer().get(pcm);
                return new WavFile(rate, channels, pcm);
            }
            b.position(start + (int) size + (int) (size & 1));
        }
        throw new IOException("no data chunk");
    }

    /** The file's bytes: a 44-byte header and the samples. */
    public byte[] toBytes() {
        int data = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + data).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        b.putInt(0x61746164).putInt(data);
        b.asShortBuffer().put(samples);
        return b.array();
    }

    /** Writes the file. */
    public void write(Path path) throws IOException {
        Files.write(path, toBytes());
    }
}
