package io.rvoip.sip.transaction;

import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.parser.SipParser;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A UDP relay on loopback that drops a fraction of datagrams each way (seeded) and logs every
 * datagram it saw: direction, branch, what it was, and whether it was dropped. The client sends
 * to {@link #front()}; the relay forwards from its back socket to the server, so the server's
 * responses (routed by received/rport) come back through it too.
 */
final class LossyShim implements AutoCloseable {
    /** One datagram seen by the shim. */
    record Entry(boolean toServer, String branch, String what, boolean dropped) {
    }

    final List<Entry> log = new CopyOnWriteArrayList<>();
    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress server;
    private final double loss;
    private final Random toServerRandom;
    private final Random toClientRandom;
    private volatile InetSocketAddress client;
    private final Thread up;
    private final Thread down;

    LossyShim(InetSocketAddress server, double loss, long seed) throws SocketException {
        this.server = server;
        this.loss = loss;
        this.toServerRandom = new Random(seed);
        this.toClientRandom = new Random(seed + 1);
        this.front = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        this.back = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        up = new Thread(() -> relay(front, back, true), "shim-up");
        down = new Thread(() -> relay(back, front, false), "shim-down");
        up.setDaemon(true);
        down.setDaemon(true);
        up.start();
        down.start();
    }

    InetSocketAddress front() {
        return new InetSocketAddress("127.0.0.1", front.getLocalPort());
    }

    private void relay(DatagramSocket in, DatagramSocket out, boolean toServer) {
        byte[] buf = new byte[65_535];
        while (!in.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                in.receive(p);
                if (toServer) {
                    client = (InetSocketAddress) p.getSocketAddress();
                }
                byte[] data = java.util.Arrays.copyOf(p.getData(), p.getLength());
                boolean drop = (toServer ? toServerRandom : toClientRandom).nextDouble() < loss;
                log.add(describe(data, toServer, drop));
                if (!drop) {
                    InetSocketAddress to = toServer ? server : client;
                    if (to != null) {
                        out.send(new DatagramPacket(data, data.length, to));
                    }
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static Entry describe(byte[] data, boolean toServer, boolean dropped) {
        try {
            SipMessage m = SipParser.defaults().parseDatagram(data);
            String what = m instanceof SipRequest r ? r.method().name() : Integer.toString(((SipResponse) m).statusCode());
            return new Entry(toServer, m.via().branch(), what, dropped);
        } catch (SipParseException | NullPointerException e) {
            return new Entry(toServer, "?", "?", dropped);
        }
    }

    /**
     * True if the shim saw at least one copy of this kind for {@code branch} in this direction
     * and dropped every one.
     */
    boolean allDropped(String branch, boolean toServer, java.util.function.Predicate<String> what) {
        boolean any = false;
        for (Entry e : log) {
            if (e.toServer() == toServer && branch.equalsIgnoreCase(e.branch()) && what.test(e.what())) {
                any = true;
                if (!e.dropped()) {
                    return false;
                }
            }
        }
        return any; // nothing seen proves nothing: a server that never answered fails the test
    }

    @Override
    public void close() throws InterruptedException {
        front.close();
        back.close();
        up.join(5_000);
        down.join(5_000);
    }
}
