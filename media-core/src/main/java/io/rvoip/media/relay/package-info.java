/** Bridging two call legs: RTP forwarded without decoding when the codecs match, PCM pipes for transcoding when they differ. */
package io.rvoip.media.relay;
