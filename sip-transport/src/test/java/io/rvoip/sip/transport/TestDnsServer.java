package io.rvoip.sip.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An authoritative DNS server on 127.0.0.1 (Netty's DNS codec) serving a test zone. */
final class TestDnsServer implements AutoCloseable {
    private record Rr(DnsRecordType type, long ttl, byte[] rdata) {
    }

    private final Map<String, List<Rr>> zone = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    TestDnsServer() throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<NioDatagramChannel>() {
                    @Override
                    protected void initChannel(NioDatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
                                        answer(ctx, q);
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    int queriesFor(DnsRecordType type, String name) {
        AtomicInteger n = queries.get(key(type, name));
        return n == null ? 0 : n.get();
    }

    private static String key(DnsRecordType type, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return type.name() + " " + (n.endsWith(".") ? n.substring(0, n.length() - 1) : n);
    }

    private void answer(ChannelHandlerContext ctx, DatagramDnsQuery q) {
        DnsQuestion question = q.recordAt(DnsSection.QUESTION);
        String k = key(question.type(), question.name());
        queries.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
        DatagramDnsResponse res = new DatagramDnsResponse(q.recipient(), q.sender(), q.id());
        res.setAuthoritativeAnswer(true);
        res.addRecord(DnsSection.QUESTION, question);
        List<Rr> rrs = zone.get(k);
        boolean nameExists = zone.keySet().stream().anyMatch(z -> z.endsWith(" " + k.substring(k.indexOf(' ') + 1)));
        if (rrs == null && !nameExists) {
            res.setCode(DnsResponseCode.NXDOMAIN);
        }
        if (rrs != null) {
            for (Rr rr : rrs) {
                res.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), rr.type(), rr.ttl(),
                        Unpooled.wrappedBuffer(rr.rdata())));
            }
        }
        ctx.writeAndFlush(res);
    }

    private void add(String name, DnsRecordType type, long ttl, byte[] rdata) {
        zone.computeIfAbsent(key(type, name), k -> new ArrayList<>()).add(new Rr(type, ttl, rdata));
    }

    TestDnsServer a(String name, String ip, long ttl) throws Exception {
        add(name, DnsRecordType.A, ttl, InetAddress.getByName(ip).getAddress());
        return this;
    }

    TestDnsServer srv(String name, int priority, int weight, int port, String target, long ttl) {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(priority).writeShort(weight).writeShort(port);
        writeName(b, target);
        add(name, DnsRecordType.SRV, ttl, bytes(b));
        return this;
    }

    TestDnsServer naptr(String name, int order, int pref, String service, String replacement, long ttl) {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(order).writeShort(pref);
        writeString(b, "s");
        writeString(b, service);
        writeString(b, "");
        writeName(b, replacement);
        add(name, DnsRecordType.NAPTR, ttl, bytes(b));
        return this;
    }

    private static void writeString(ByteBuf b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        b.writeByte(bytes.length).writeBytes(bytes);
    }

    private static void writeName(ByteBuf b, String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                writeString(b, label);
            }
        }
        b.writeByte(0);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
