/**
 * URIs: SIP and SIPS (RFC 3261 §19.1, equivalence §19.1.4), tel (RFC 3966), and any other
 * scheme kept opaque.
 */
package io.rvoip.sip.uri;
