package io.rvoip.session;

import io.rvoip.media.codec.AudioEncoder;
import io.rvoip.media.codec.Opus;
import io.rvoip.rtp.RtpHeader;
import io.rvoip.rtp.srtp.SrtpContext;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/**
 * A phone's Opus sender on raw UDP: each {@link #send} encodes the next 20 ms of a 1 kHz tone at
 * 48 kHz (or silence) and sends it as one RTP packet (SRTP when given a context), sequence
 * numbers and timestamps running on.
 */
final class OpusTalker {
    private final DatagramSocket socket;
    private final InetSocketAddress to;
    private final int payloadType;
    private final int ssrc;
    private final SrtpContext srtp;
    private final AudioEncoder encoder = Opus.VOICE.newEncoder();
    private final short[] pcm = new short[960];
    private final byte[] encoded = new byte[1500];
    private final byte[] packet = new byte[1600];
    private int frames;

    OpusTalker(DatagramSocket socket, InetSocketAddress to, int payloadType, int ssrc, SrtpContext srtp) {
        this.socket = socket;
        this.to = to;
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.srtp = srtp;
    }

    /** Sends the next packet: the tone, or silence. */
    void send(boolean tone) throws IOException {
        for (int k = 0; k < pcm.length; k++) {
            pcm[k] = tone ? (short) (8000 * Math.sin(2 * Math.PI * 1000 * (frames * 960L + k) / 48000.0)) : 0;
        }
        int len = encoder.encode(pcm, 0, pcm.length, encoded, 0);
        int n = new RtpHeader().payloadType(payloadType).ssrc(ssrc).sequenceNumber(100 + frames).timestamp(frames * 960L)
                .encodeTo(packet, 0, encoded, 0, len);
        if (srtp != null) {
            n = srtp.protectRtp(packet, 0, n);
        }
        socket.send(new DatagramPacket(packet, n, to));
        frames++;
    }
}
