package io.rvoip.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.rvoip.infra.time.Clock;
import io.rvoip.sip.uri.SipUri;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Locates SIP servers (RFC 3263 §4): for a URI, the ordered list of destinations to try —
 * NAPTR (service {@code SIP+D2U}, {@code SIP+D2T}, {@code SIPS+D2T}, {@code SIP+D2W},
 * {@code SIPS+D2W}) → SRV (priority, then weight as RFC 2782 says) → A/AAAA. An explicit
 * transport parameter or port skips the steps it makes unnecessary; {@code sips:} allows TLS
 * (and WSS) only; a numeric host is used as it is. Later entries are the failover order.
 * NAPTR and SRV answers are cached for their TTL on the given {@link Clock}; A/AAAA caching is
 * Netty's. Asynchronous throughout (Netty's DNS resolver); never blocks.
 *
 * <p>Thread-safe.
 */
public final class SipServerLocator implements AutoCloseable {
    private record Naptr(int order, int preference, String flags, String service, String replacement) {
    }

    private record Srv(int priority, int weight, int port, String target) {
    }

    private record Cached(List<?> records, long expiresAt) {
    }

    private final DnsNameResolver dns;
    private final Clock clock;
    private final Set<TransportType> supported;
    private final Random random;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * A locator querying the servers of {@code nameServers} from {@code eventLoop}, for the
     * transports this side supports.
     */
    public SipServerLocator(EventLoop eventLoop, Class<? extends DatagramChannel> channelType,
            DnsServerAddressStreamProvider nameServers, Clock clock, Set<TransportType> supported, Random random) {
        this.dns = new DnsNameResolverBuilder(eventLoop)
                .datagramChannelFactory(() -> {
                    try {
                        return channelType.getDeclaredConstructor().newInstance();
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .nameServerProvider(nameServers)
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                .queryTimeoutMillis(5_000)
                .build();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.supported = Set.copyOf(supported);
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The destinations for {@code uri}, most preferred first; fails if none can be found. */
    public CompletableFuture<List<Destination>> locate(SipUri uri) {
        String host = SipTransport.unbracket(uri.host());
        boolean secure = uri.isSecure();
        TransportType forced = transportParam(uri.transport(), secure);
        if (uri.transport() != null && forced == null) {
            return CompletableFuture.failedFuture(new TransportException("unsupported transport " + uri.transport()));
        }
        boolean numeric = NetUtil.createByteArrayFromIpAddressString(host) != null;
        TransportType dflt = forced != null ? forced : secure ? TransportType.TLS : TransportType.UDP;
        if (numeric || uri.port() >= 0) {
            int port = uri.port() >= 0 ? uri.port() : dflt.defaultPort();
            return addresses(host, dflt, port, uri.host());
        }
        if (forced != null) {
            return srvOrAddress(srvName(forced, host), forced, host, uri.host());
        }
        return naptr(host).thenCompose(records -> {
            List<Naptr> usable = new ArrayList<>();
            for (Naptr n : records) {
                TransportType t = service(n.service());
                if (t != null && supported.contains(t) && (!secure || t.isSecure()) && n.flags().equalsIgnoreCase("s")) {
                    usable.add(n);
                }
            }
            usable.sort(Comparator.comparingInt(Naptr::order).thenComparingInt(Naptr::preference));
            if (!usable.isEmpty()) {
                return chain(usable.stream().map(n -> (java.util.function.Supplier<CompletableFuture<List<Destination>>>)
                        () -> srvTargets(n.replacement(), service(n.service()), uri.host())).toList());
            }
            List<TransportType> order = secure ? List.of(TransportType.TLS, TransportType.WSS)
                    : List.of(TransportType.UDP, TransportType.TCP, TransportType.TLS);
            List<java.util.function.Supplier<CompletableFuture<List<Destination>>>> tries = new ArrayList<>();
            for (TransportType t : order) {
                if (supported.contains(t) && srvName(t, host) != null) {
                    tries.add(() -> srvTargets(srvName(t, host), t, uri.host()));
                }
            }
            return chain(tries).thenCompose(found -> found.isEmpty()
                    ? addresses(host, dflt, dflt.defaultPort(), uri.host())
                    : CompletableFuture.completedFuture(found));
        });
    }

    /** Concatenates the results of the suppliers, in order (each may be empty). */
    private static CompletableFuture<List<Destination>> chain(
            List<java.util.function.Supplier<CompletableFuture<List<Destination>>>> steps) {
        CompletableFuture<List<Destination>> acc = CompletableFuture.completedFuture(new ArrayList<>());
        for (var step : steps) {
            acc = acc.thenCompose(list -> step.get().handle((more, e) -> {
                List<Destination> out = new ArrayList<>(list);
                if (e == null) {
                    out.addAll(more);
                }
                return out;
            }));
        }
        return acc;
    }

    private CompletableFuture<List<Destination>> srvOrAddress(String srvName, TransportType t, String host,
            String tlsName) {
        CompletableFuture<List<Destination>> viaSrv = srvName == null ? CompletableFuture.completedFuture(List.of())
                : srvTargets(srvName, t, tlsName).exceptionally(e -> List.of());
        return viaSrv.thenCompose(found -> found.isEmpty() ? addresses(host, t, t.defaultPort(), tlsName)
                : CompletableFuture.completedFuture(found));
    }

    /** SRV records of {@code name} ordered by RFC 2782, each resolved to its addresses. */
    private CompletableFuture<List<Destination>> srvTargets(String name, TransportType t, String tlsName) {
        return srv(name).thenCompose(records -> {
            List<Srv> ordered = rfc2782Order(records);
            List<java.util.function.Supplier<CompletableFuture<List<Destination>>>> steps = new ArrayList<>();
            for (Srv s : ordered) {
                if (!s.target().equals(".") && !s.target().isEmpty()) {
                    steps.add(() -> addresses(s.target(), t, s.port(), tlsName));
                }
            }
            return chain(steps);
        });
    }

    /** Priority ascending; within one priority, weighted random selection (RFC 2782). */
    List<Srv> rfc2782Order(List<Srv> records) {
        List<Srv> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(Srv::priority));
        List<Srv> out = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j < sorted.size() && sorted.get(j).priority() == sorted.get(i).priority()) {
                j++;
            }
            List<Srv> group = new ArrayList<>(sorted.subList(i, j));
            group.sort(Comparator.comparingInt(Srv::weight)); // zero weights first, as RFC 2782 asks
            while (!group.isEmpty()) {
                int total = 0;
                for (Srv s : group) {
                    total += s.weight();
                }
                int pick = total == 0 ? 0 : random.nextInt(total + 1);
                int run = 0;
                int chosen = 0;
                for (int k = 0; k < group.size(); k++) {
                    run += group.get(k).weight();
                    if (run >= pick) {
                        chosen = k;
                        break;
                    }
                }
                out.add(group.remove(chosen));
            }
            i = j;
        }
        return out;
    }

    private CompletableFuture<List<Destination>> addresses(String host, TransportType t, int port, String tlsName) {
        String name = SipTransport.unbracket(host);
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(name);
        if (literal != null) {
            try {
                return CompletableFuture.completedFuture(List.of(new Destination(t,
                        new InetSocketAddress(InetAddress.getByAddress(literal), port), SipTransport.unbracket(tlsName))));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(new TransportException("bad address " + name, e));
            }
        }
        CompletableFuture<List<Destination>> out = new CompletableFuture<>();
        dns.resolveAll(name).addListener(f -> {
            if (!f.isSuccess()) {
                out.completeExceptionally(new TransportException("cannot resolve " + name, f.cause()));
                return;
            }
            @SuppressWarnings("unchecked")
            List<InetAddress> addrs = (List<InetAddress>) f.getNow();
            List<Destination> list = new ArrayList<>();
            for (InetAddress a : addrs) {
                list.add(new Destination(t, new InetSocketAddress(a, port), SipTransport.unbracket(tlsName)));
            }
            out.complete(list);
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<List<Naptr>> naptr(String name) {
        return cached(name, DnsRecordType.NAPTR, r -> {
            ByteBuf c = ((DnsRawRecord) r).content().duplicate();
            int order = c.readUnsignedShort();
            int pref = c.readUnsignedShort();
            String flags = characterString(c);
            String service = characterString(c);
            characterString(c); // regexp: SIP NAPTRs use replacement (RFC 3263 §4.1)
            String replacement = trimDot(DefaultDnsRecordDecoder.decodeName(c));
            return new Naptr(order, pref, flags, service, replacement);
        }).thenApply(l -> (List<Naptr>) l);
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<List<Srv>> srv(String name) {
        return cached(name, DnsRecordType.SRV, r -> {
            ByteBuf c = ((DnsRawRecord) r).content().duplicate();
            return new Srv(c.readUnsignedShort(), c.readUnsignedShort(), c.readUnsignedShort(),
                    trimDot(DefaultDnsRecordDecoder.decodeName(c)));
        }).thenApply(l -> (List<Srv>) l);
    }

    /** Queries (or takes from the TTL cache) the records of one type; an empty list if there are none. */
    private CompletableFuture<List<?>> cached(String name, DnsRecordType type,
            java.util.function.Function<DnsRecord, Object> decode) {
        String key = type.name() + " " + name.toLowerCase(Locale.ROOT);
        Cached hit = cache.get(key);
        long now = clock.nanoTime();
        if (hit != null && hit.expiresAt() - now > 0) {
            return CompletableFuture.completedFuture(hit.records());
        }
        CompletableFuture<List<?>> out = new CompletableFuture<>();
        dns.resolveAll(new DefaultDnsQuestion(name, type)).addListener(f -> {
            if (!f.isSuccess()) {
                out.complete(List.of()); // NXDOMAIN or no such records: the next step applies
                return;
            }
            @SuppressWarnings("unchecked")
            List<DnsRecord> records = (List<DnsRecord>) f.getNow();
            List<Object> decoded = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            try {
                for (DnsRecord r : records) {
                    if (r.type().equals(type) && r instanceof DnsRawRecord) {
                        try {
                            decoded.add(decode.apply(r));
                            ttl = Math.min(ttl, r.timeToLive());
                        } catch (RuntimeException malformed) {
                            // a malformed record is skipped, not fatal
                        }
                    }
                }
            } finally {
                for (DnsRecord r : records) {
                    ReferenceCountUtil.release(r);
                }
            }
            if (!decoded.isEmpty()) {
                cache.put(key, new Cached(List.copyOf(decoded), clock.nanoTime() + TimeUnit.SECONDS.toNanos(ttl)));
            }
            out.complete(decoded);
        });
        return out;
    }

    private static String characterString(ByteBuf c) {
        int len = c.readUnsignedByte();
        String s = c.toString(c.readerIndex(), len, StandardCharsets.US_ASCII);
        c.skipBytes(len);
        return s;
    }

    private static String trimDot(String name) {
        return name.endsWith(".") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
    }

    static TransportType service(String service) {
        return switch (service.toUpperCase(Locale.ROOT)) {
            case "SIP+D2U" -> TransportType.UDP;
            case "SIP+D2T" -> TransportType.TCP;
            case "SIPS+D2T" -> TransportType.TLS;
            case "SIP+D2W" -> TransportType.WS;
            case "SIPS+D2W" -> TransportType.WSS;
            default -> null;
        };
    }

    private static TransportType transportParam(String param, boolean secure) {
        if (param == null) {
            return null;
        }
        TransportType t = TransportType.fromToken(param);
        if (t == null) {
            return null;
        }
        if (secure) {
            return t == TransportType.WS || t == TransportType.WSS ? TransportType.WSS : TransportType.TLS;
        }
        return t;
    }

    private static String srvName(TransportType t, String host) {
        return switch (t) {
            case UDP -> "_sip._udp." + host;
            case TCP -> "_sip._tcp." + host;
            case TLS -> "_sips._tcp." + host;
            default -> null;
        };
    }

    @Override
    public void close() {
        dns.close();
    }
}
