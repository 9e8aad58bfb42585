package io.rvoip.media.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The codecs a user agent offers, in preference order, with their payload types — static ones
 * from RFC 3551, dynamic ones from 96 up — and RFC 4733 {@code telephone-event} for each clock
 * rate in use. It builds the formats of an offer and picks the answer to one (RFC 3264 §6.1:
 * the answer keeps the offer's payload types). Immutable.
 */
public final class CodecRegistry {
    /** The telephone-event encoding name (RFC 4733). */
    public static final String TELEPHONE_EVENT = "telephone-event";

    private final List<AudioCodec> codecs;
    /** The comfort-noise encoding name (RFC 3389). */
    public static final String COMFORT_NOISE = "CN";

    private final boolean telephoneEvents;
    private final boolean comfortNoise;
    private final List<MediaFormat> formats;

    private CodecRegistry(List<AudioCodec> codecs, boolean telephoneEvents, boolean comfortNoise) {
        this.codecs = List.copyOf(codecs);
        this.telephoneEvents = telephoneEvents;
        this.comfortNoise = comfortNoise;
        List<MediaFormat> f = new ArrayList<>();
        int dynamic = 96;
        List<Integer> eventClocks = new ArrayList<>();
        for (AudioCodec c : this.codecs) {
            int pt = c.staticPayloadType() >= 0 ? c.staticPayloadType() : dynamic++;
            f.add(new MediaFormat(pt, c.name(), c.clockRate(), c.sdpChannels(), c.fmtp()));
            if (!eventClocks.contains(c.clockRate())) {
                eventClocks.add(c.clockRate());
            }
        }
        int pt = Math.max(dynamic, 101); // 101 is what most phones use for 8 kHz
        if (telephoneEvents) {
            for (int clock : eventClocks) {
                f.add(new MediaFormat(pt++, TELEPHONE_EVENT, clock, 1, "0-16"));
            }
        }
        if (comfortNoise) {
            for (int clock : eventClocks) {
                f.add(new MediaFormat(clock == 8000 ? 13 : pt++, COMFORT_NOISE, clock, 1, null));
            }
        }
        this.formats = Collections.unmodifiableList(f);
    }

    /** G.722 (wideband first), PCMU, PCMA, and telephone-event. */
    public static CodecRegistry defaults() {
        return of(true, G722.INSTANCE, G711.PCMU, G711.PCMA);
    }

    /** These codecs in preference order, with telephone-event or without. */
    public static CodecRegistry of(boolean telephoneEvents, AudioCodec... codecs) {
        if (codecs.length == 0) {
            throw new IllegalArgumentException("no codec");
        }
        return new CodecRegistry(List.of(codecs), telephoneEvents, false);
    }

    /** This registry, also offering and accepting comfort noise (RFC 3389) for each clock rate in use. */
    public CodecRegistry withComfortNoise() {
        return new CodecRegistry(codecs, telephoneEvents, true);
    }

    /** True when comfort noise is offered and accepted. */
    public boolean comfortNoise() {
        return comfortNoise;
    }

    /** The codecs in preference order. */
    public List<AudioCodec> codecs() {
        return codecs;
    }

    /** The formats of an offer, in preference order (telephone-events, then comfort noise, last). */
    public List<MediaFormat> offer() {
        return formats;
    }

    /** The codec for an encoding name, clock rate and channel count, or null. */
    public AudioCodec find(String encoding, int clockRate, int channels) {
        for (AudioCodec c : codecs) {
            if (c.name().equalsIgnoreCase(encoding) && c.clockRate() == clockRate && c.sdpChannels() == channels) {
                return c;
            }
        }
        return null;
    }

    /**
     * What we answer to an offer: the offered formats we support, ours first in our preference
     * order, each with the offer's payload type, followed by the offer's telephone-event of the
     * first codec's clock rate when we take events.
     *
     * @return the answer's formats, empty when no codec matches (reject the stream)
     */
    public List<MediaFormat> answer(List<MediaFormat> offered) {
        Objects.requireNonNull(offered, "offered");
        List<MediaFormat> answer = new ArrayList<>();
        for (AudioCodec c : codecs) {
            for (MediaFormat f : offered) {
                if (f.sameFormat(c.name(), c.clockRate(), c.sdpChannels())
                        && answer.stream().noneMatch(a -> a.payloadType() == f.payloadType())) {
                    answer.add(f);
                    break;
                }
            }
        }
        if (answer.isEmpty()) {
            return List.of();
        }
        int clock = answer.get(0).clockRate();
        if (telephoneEvents) {
            addOffered(answer, offered, TELEPHONE_EVENT, clock);
        }
        if (comfortNoise) {
            addOffered(answer, offered, COMFORT_NOISE, clock);
        }
        return List.copyOf(answer);
    }

    private static void addOffered(List<MediaFormat> answer, List<MediaFormat> offered, String encoding, int clock) {
        for (MediaFormat f : offered) {
            if (f.encoding().equalsIgnoreCase(encoding) && f.clockRate() == clock) {
                answer.add(f);
                return;
            }
        }
    }

    /** The codec a negotiated format stands for, or null (telephone-event, or one we lack). */
    public AudioCodec codecOf(MediaFormat f) {
        return find(f.encoding(), f.clockRate(), f.channels());
    }
}
