package io.rvoip.sip.dialog;

import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.SipServerLocator;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;

/** Turns the next-hop URI of a request into a transport destination. */
@FunctionalInterface
public interface NextHopResolver {
    /** The destination for {@code uri}; fails when it cannot be resolved. */
    CompletableFuture<Destination> resolve(Uri uri);

    /**
     * IP-literal hosts only (no DNS): transport from the {@code transport} parameter (UDP by
     * default, TLS for {@code sips}), port from the URI or the transport's default.
     */
    static NextHopResolver numeric() {
        return uri -> {
            if (!(uri instanceof SipUri s)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("not a SIP URI: " + uri));
            }
            String host = s.host();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (!isIpLiteral(host)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("not an IP address: " + s.host()));
            }
            TransportType named = TransportType.fromToken(s.transport());
            TransportType t = s.isSecure() ? TransportType.TLS : named == null ? TransportType.UDP : named;
            int port = s.port() > 0 ? s.port() : t.isSecure() ? 5061 : 5060;
            try {
                return CompletableFuture.completedFuture(
                        Destination.of(t, new InetSocketAddress(InetAddress.getByName(host), port)));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }

    private static boolean isIpLiteral(String host) {
        if (host.isEmpty()) {
            return false;
        }
        boolean colon = host.indexOf(':') >= 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c == '.' || colon && (c == ':' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3263 resolution with a locator (NAPTR/SRV/A), first destination. */
    static NextHopResolver of(SipServerLocator locator) {
        return uri -> {
            if (!(uri instanceof SipUri s)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("not a SIP URI: " + uri));
            }
            return locator.locate(s).thenApply(list -> {
                if (list.isEmpty()) {
                    throw new IllegalStateException("no destination for " + uri);
                }
                return list.get(0);
            });
        };
    }
}
