/**
 * SDP (RFC 4566 / RFC 8866) with typed attributes: rtpmap/fmtp/ptime, direction (RFC 3264),
 * rtcp (RFC 3605), rtcp-mux (RFC 5761), crypto (RFC 4568), fingerprint/setup (RFC 8122,
 * 4145), ICE (RFC 8839), mid and BUNDLE groups (RFC 5888, 9143), ssrc (RFC 5576), extmap
 * (RFC 8285).
 */
package io.rvoip.sip.sdp;
