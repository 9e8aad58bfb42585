/** The adaptive playout (jitter) buffer and its statistics. */
package io.rvoip.rtp.jitter;
