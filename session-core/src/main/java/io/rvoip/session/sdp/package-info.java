/** RFC 3264 offer/answer for audio streams over RTP, on sip-core's SDP model and media-core's codec registry. */
package io.rvoip.session.sdp;
