/** The media session: one RTP stream bound to a codec, a jitter buffer, a source and a sink. */
package io.rvoip.media.session;
