package io.rvoip.media.codec;

import io.rvoip.media.plc.FadePlc;
import io.rvoip.media.plc.G711Plc;

/**
 * L16 (RFC 3551 §4.5.11): uncompressed 16-bit linear PCM in network byte order, at any rate
 * and channel count (static payload types 10 and 11 for 44.1 kHz stereo and mono; dynamic
 * otherwise). The RTP clock is the sample rate. Lost frames: G.711 Appendix I at 8 kHz mono
 * (for 10 ms multiples), a repeat-and-fade otherwise.
 */
public final class L16 implements AudioCodec {
    /** L16 at 8 kHz mono. */
    public static final L16 MONO_8K = new L16(8000, 1);
    /** L16 at 16 kHz mono. */
    public static final L16 MONO_16K = new L16(16000, 1);
    /** L16 at 48 kHz mono. */
    public static final L16 MONO_48K = new L16(48000, 1);

    private final int rate;
    private final int channels;

    /** L16 at {@code rate} Hz with {@code channels} interleaved channels. */
    public L16(int rate, int channels) {
        if (rate < 1000 || rate > 192_000 || channels < 1 || channels > 8) {
            throw new IllegalArgumentException("rate " + rate + ", channels " + channels);
        }
        this.rate = rate;
        this.channels = channels;
    }

    @Override
    public String name() {
        return "L16";
    }

    @Override
    public int clockRate() {
        return rate;
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int staticPayloadType() {
        return rate == 44100 ? (channels == 2 ? 10 : channels == 1 ? 11 : -1) : -1;
    }

    @Override
    public int maxEncodedBytes(int samples) {
        return samples * channels * 2;
    }

    @Override
    public AudioEncoder newEncoder() {
        int ch = channels;
        return new AudioEncoder() {
            @Override
            public int encode(short[] pcm, int offset, int samples, byte[] out, int outOffset) {
                int n = samples * ch;
                for (int i = 0; i < n; i++) {
                    short s = pcm[offset + i];
                    out[outOffset + 2 * i] = (byte) (s >> 8);
                    out[outOffset + 2 * i + 1] = (byte) s;
                }
                return n * 2;
            }

            @Override
            public void reset() {
                // stateless
            }
        };
    }

    @Override
    public AudioDecoder newDecoder() {
        boolean appendixI = rate == 8000 && channels == 1;
        G711Plc g711 = appendixI ? new G711Plc() : null;
        FadePlc fade = appendixI ? null : new FadePlc(rate * channels, rate * channels * 120 / 1000);
        int ch = channels;
        return new AudioDecoder() {
            @Override
            public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset) {
                if (length % (2 * ch) != 0) {
                    throw new IllegalArgumentException("L16 payload of " + length + " bytes for " + ch + " channels");
                }
                int n = length / 2;
                AudioDecoder.checkRoom(n, pcm, pcmOffset);
                for (int i = 0; i < n; i++) {
                    pcm[pcmOffset + i] = (short) ((payload[offset + 2 * i] << 8) | (payload[offset + 2 * i + 1] & 0xFF));
                }
                if (g711 != null && n % G711Plc.FRAME == 0) {
                    for (int f = 0; f < n; f += G711Plc.FRAME) {
                        g711.received(pcm, pcmOffset + f);
                    }
                } else if (fade != null) {
                    fade.received(pcm, pcmOffset, n);
                }
                return n / ch;
            }

            @Override
            public int conceal(short[] pcm, int pcmOffset, int samples) {
                if (g711 != null && samples % G711Plc.FRAME == 0) {
                    for (int f = 0; f < samples; f += G711Plc.FRAME) {
                        g711.conceal(pcm, pcmOffset + f);
                    }
                } else if (fade != null) {
                    fade.conceal(pcm, pcmOffset, samples * ch);
                } else {
                    java.util.Arrays.fill(pcm, pcmOffset, pcmOffset + samples, (short) 0);
                }
                return samples;
            }

            @Override
            public int delaySamples() {
                return g711 != null ? G711Plc.DELAY : 0;
            }

            @Override
            public void reset() {
                if (g711 != null) {
                    g711.reset();
                } else {
                    fade.reset();
                }
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof L16 l && l.rate == rate && l.channels == channels;
    }

    @Override
    public int hashCode() {
        return rate * 31 + channels;
    }

    @Override
    public String toString() {
        return "L16/" + rate + (channels > 1 ? "/" + channels : "");
    }
}
