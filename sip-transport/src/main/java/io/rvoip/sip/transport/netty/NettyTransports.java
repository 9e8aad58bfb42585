package io.rvoip.sip.transport.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The Netty I/O flavour: native epoll on Linux when its library loads, NIO otherwise (chosen
 * once, automatically; NIO can be forced).
 *
 * @param ioHandler the event loop's I/O handler
 * @param datagram the UDP channel class
 * @param server the listening TCP channel class
 * @param socket the connected TCP channel class
 * @param name {@code epoll} or {@code nio}
 */
public record NettyTransports(IoHandlerFactory ioHandler, Class<? extends DatagramChannel> datagram,
        Class<? extends ServerSocketChannel> server, Class<? extends SocketChannel> socket, String name) {

    /** Epoll if {@code preferNative} and available, else NIO. */
    public static NettyTransports choose(boolean preferNative) {
        if (preferNative && Epoll.isAvailable()) {
            return new NettyTransports(EpollIoHandler.newFactory(), EpollDatagramChannel.class,
                    EpollServerSocketChannel.class, EpollSocketChannel.class, "epoll");
        }
        return new NettyTransports(NioIoHandler.newFactory(), NioDatagramChannel.class, NioServerSocketChannel.class,
                NioSocketChannel.class, "nio");
    }
}
