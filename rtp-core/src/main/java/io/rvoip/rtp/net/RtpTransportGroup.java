package io.rvoip.rtp.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rvoip.infra.lifecycle.Lifecycle;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loops RTP sockets run on (epoll when available, NIO otherwise) and the port
 * allocator they draw from. One group serves many sessions; each session's sockets stay on one
 * event loop, so all of a session's receive work is serial.
 */
public final class RtpTransportGroup implements Lifecycle, AutoCloseable {
    private final int threads;
    private final boolean preferNative;
    private final PortAllocator ports;
    private volatile EventLoopGroup group;
    /** Makes the sockets: a constructor reference, not Netty's reflective factory (two sockets per call). */
    private io.netty.channel.ChannelFactory<? extends DatagramChannel> channelFactory;
    private volatile boolean epoll;

    /**
     * @param threads      event-loop threads (0 = Netty's default, 2 × cores)
     * @param ports        where RTP ports come from
     * @param preferNative use epoll when the platform has it
     */
    public RtpTransportGroup(int threads, PortAllocator ports, boolean preferNative) {
        this.threads = threads;
        this.ports = ports;
        this.preferNative = preferNative;
    }

    /** A started group with {@code threads} event loops over {@code ports}. */
    public static RtpTransportGroup start(int threads, PortAllocator ports) {
        RtpTransportGroup g = new RtpTransportGroup(threads, ports, true);
        g.start();
        return g;
    }

    @Override
    public synchronized void start() {
        if (group != null) {
            return;
        }
        IoHandlerFactory io;
        if (preferNative && Epoll.isAvailable()) {
            io = EpollIoHandler.newFactory();
            channelFactory = EpollDatagramChannel::new;
            epoll = true;
        } else {
            io = NioIoHandler.newFactory();
            channelFactory = NioDatagramChannel::new;
            epoll = false;
        }
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("rvoip-rtp-io", true), io);
    }

    @Override
    public synchronized void stop() {
        EventLoopGroup g = group;
        group = null;
        if (g != null) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Override
    public void close() {
        stop();
    }

    EventLoopGroup group() {
        EventLoopGroup g = group;
        if (g == null) {
            throw new IllegalStateException("RTP transport group is not started");
        }
        return g;
    }

    /** True when the sockets are epoll's (Linux native transport). */
    boolean epoll() {
        group();
        return epoll;
    }

    io.netty.channel.ChannelFactory<? extends DatagramChannel> channelFactory() {
        return channelFactory;
    }

    /** The port allocator. */
    public PortAllocator ports() {
        return ports;
    }
}
