package io.rvoip.media.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusBandwidth;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Opus (RFC 6716) in RTP (RFC 7587) through Concentus, the pure-Java port of libopus: 8–48 kHz,
 * mono or stereo, bitrate, complexity, in-band FEC, DTX, and the decoder's own loss
 * concealment. The RTP clock is always 48000 and the rtpmap always says {@code opus/48000/2}.
 *
 * <p>SDP: {@link #fmtp()} states what we want to receive (our {@code maxplaybackrate},
 * {@code stereo}, {@code useinbandfec}, {@code usedtx}, {@code maxaveragebitrate}) and what we
 * send ({@code sprop-maxcapturerate}, {@code sprop-stereo}); {@link #forPeer(String)} applies the
 * peer's fmtp to what we send: its maximum playback rate limits our audio bandwidth, its
 * {@code maxaveragebitrate} caps our bitrate, {@code stereo=0} (the default) makes us send mono,
 * {@code useinbandfec=1} and {@code usedtx=1} turn FEC and DTX on in our encoder.
 */
public final class Opus implements AudioCodec {
    /**
     * Encoder and decoder settings.
     *
     * @param sampleRate 8000, 12000, 16000, 24000 or 48000
     * @param channels 1 or 2
     * @param bitrate bits per second (6000–510000)
     * @param complexity 0–10
     * @param fec in-band forward error correction in what we send
     * @param dtx discontinuous transmission in what we send (silence is not sent)
     * @param maxPlaybackRate the highest audio rate worth sending to the peer (8000–48000)
     * @param lossPercent the expected packet loss, for FEC
     */
    public record Config(int sampleRate, int channels, int bitrate, int complexity, boolean fec, boolean dtx,
                         int maxPlaybackRate, int lossPercent) {
        /** Validates the settings. */
        public Config {
            if (sampleRate != 8000 && sampleRate != 12000 && sampleRate != 16000 && sampleRate != 24000 && sampleRate != 48000) {
                throw new IllegalArgumentException("Opus sample rate " + sampleRate);
            }
            if (channels < 1 || channels > 2 || bitrate < 6000 || bitrate > 510_000 || complexity < 0 || complexity > 10
                    || maxPlaybackRate < 8000 || maxPlaybackRate > 48000 || lossPercent < 0 || lossPercent > 100) {
                throw new IllegalArgumentException("Opus settings " + channels + "ch " + bitrate + " bit/s complexity "
                        + complexity + " max playback " + maxPlaybackRate + " loss " + lossPercent);
            }
        }
    }

    /** Voice defaults: 48 kHz mono, 32 kbit/s, complexity 5, FEC on (5 % loss), DTX off. */
    public static final Opus VOICE = new Opus(new Config(48000, 1, 32000, 5, true, false, 48000, 5));

    private final Config config;

    /** Opus with these settings. */
    public Opus(Config config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
    }

    /** The settings. */
    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "opus";
    }

    @Override
    public int clockRate() {
        return 48000;
    }

    @Override
    public int sampleRate() {
        return config.sampleRate();
    }

    @Override
    public int channels() {
        return config.channels();
    }

    @Override
    public int sdpChannels() {
        return 2;
    }

    @Override
    public int staticPayloadType() {
        return -1;
    }

    @Override
    public String fmtp() {
        StringBuilder b = new StringBuilder("minptime=10;useinbandfec=1");
        if (config.channels() == 2) {
            b.append(";stereo=1;sprop-stereo=1");
        }
        if (config.dtx()) {
            b.append(";usedtx=1");
        }
        if (config.sampleRate() < 48000) {
            b.append(";maxplaybackrate=").append(config.sampleRate()).append(";sprop-maxcapturerate=")
                    .append(config.sampleRate());
        }
        b.append(";maxaveragebitrate=").append(config.bitrate());
        return b.toString();
    }

    /** Parses fmtp parameters ({@code a=b;c=d}, names lower-cased). */
    public static Map<String, String> parseFmtp(String fmtp) {
        Map<String, String> m = new LinkedHashMap<>();
        if (fmtp == null) {
            return m;
        }
        for (String part : fmtp.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
            }
        }
        return m;
    }

    private static int intParam(Map<String, String> m, String name, int dflt) {
        try {
            return m.containsKey(name) ? Integer.parseInt(m.get(name)) : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** This codec adjusted to what the peer's fmtp says it wants to receive (RFC 7587 §7.1). */
    public Opus forPeer(String remoteFmtp) {
        Map<String, String> p = parseFmtp(remoteFmtp);
        int maxPlayback = Math.max(8000, Math.min(48000, intParam(p, "maxplaybackrate", 48000)));
        int bitrate = config.bitrate();
        int cap = intParam(p, "maxaveragebitrate", 0);
        if (cap >= 6000) {
            bitrate = Math.min(bitrate, Math.min(cap, 510_000));
        }
        int channels = "1".equals(p.get("stereo")) ? config.channels() : 1;
        boolean fec = "1".equals(p.get("useinbandfec"));
        boolean dtx = "1".equals(p.get("usedtx"));
        return new Opus(new Config(config.sampleRate(), channels, bitrate, config.complexity(), fec, dtx,
                Math.min(maxPlayback, config.maxPlaybackRate()), config.lossPercent()));
    }

    @Override
    public int maxEncodedBytes(int samples) {
        return 1275 * 3 + 7; // up to three 20 ms frames in one packet (60 ms)
    }

    private static OpusBandwidth bandwidthFor(int rate) {
        return rate <= 8000 ? OpusBandwidth.OPUS_BANDWIDTH_NARROWBAND
                : rate <= 12000 ? OpusBandwidth.OPUS_BANDWIDTH_MEDIUMBAND
                : rate <= 16000 ? OpusBandwidth.OPUS_BANDWIDTH_WIDEBAND
                : rate <= 24000 ? OpusBandwidth.OPUS_BANDWIDTH_SUPERWIDEBAND
                : OpusBandwidth.OPUS_BANDWIDTH_FULLBAND;
    }

    @Override
    public AudioEncoder newEncoder() {
        OpusEncoder enc;
        try {
            enc = new OpusEncoder(config.sampleRate(), config.channels(), OpusApplication.OPUS_APPLICATION_VOIP);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus encoder: " + e.getMessage(), e);
        }
        enc.setBitrate(config.bitrate());
        enc.setComplexity(config.complexity());
        enc.setUseInbandFEC(config.fec());
        enc.setPacketLossPercent(config.fec() ? Math.max(config.lossPercent(), 1) : config.lossPercent());
        enc.setUseDTX(config.dtx());
        enc.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
        enc.setMaxBandwidth(bandwidthFor(Math.min(config.maxPlaybackRate(), config.sampleRate())));
        boolean dtx = config.dtx();
        int max = maxEncodedBytes(0);
        return new AudioEncoder() {
            @Override
            public int encode(short[] pcm, int offset, int samples, byte[] out, int outOffset) {
                int n;
                try {
                    n = enc.encode(pcm, offset, samples, out, outOffset, Math.min(max, out.length - outOffset));
                } catch (OpusException e) {
                    throw new IllegalArgumentException("Opus cannot encode " + samples + " samples: " + e.getMessage(), e);
                }
                return dtx && n <= 2 ? 0 : n; // DTX: a silent frame is not sent
            }

            @Override
            public void reset() {
                enc.resetState();
            }
        };
    }

    @Override
    public AudioDecoder newDecoder() {
        OpusDecoder dec;
        try {
            dec = new OpusDecoder(config.sampleRate(), config.channels());
        } catch (OpusException e) {
            throw new IllegalStateException("Opus decoder: " + e.getMessage(), e);
        }
        int channels = config.channels();
        int maxFrame = config.sampleRate() * 120 / 1000;
        return new AudioDecoder() {
            @Override
            public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset) {
                try {
                    return dec.decode(payload, offset, length, pcm, pcmOffset,
                            Math.min(maxFrame, (pcm.length - pcmOffset) / channels), false);
                } catch (OpusException | RuntimeException e) {
                    throw new IllegalArgumentException("bad Opus packet: " + e.getMessage(), e);
                }
            }

            @Override
            public int conceal(short[] pcm, int pcmOffset, int samples) {
                try {
                    return dec.decode(null, 0, 0, pcm, pcmOffset, samples, false);
                } catch (OpusException | RuntimeException e) {
                    java.util.Arrays.fill(pcm, pcmOffset, pcmOffset + samples * channels, (short) 0);
                    return samples;
                }
            }

            @Override
            public int concealFromNext(byte[] next, int offset, int length, short[] pcm, int pcmOffset, int samples) {
                try {
                    return dec.decode(next, offset, length, pcm, pcmOffset, samples, true);
                } catch (OpusException | RuntimeException e) {
                    return conceal(pcm, pcmOffset, samples); // the next packet has no FEC: plain PLC
                }
            }

            @Override
            public void reset() {
                dec.resetState();
            }
        };
    }

    @Override
    public String toString() {
        return "opus/48000/2 (" + config.sampleRate() + " Hz, " + config.channels() + " ch, " + config.bitrate() + " bit/s)";
    }
}
