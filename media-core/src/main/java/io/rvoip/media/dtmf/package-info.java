/**
 * DTMF: RFC 4733 telephone-events (sending and receiving) and in-band tones (Goertzel
 * detection and generation).
 */
package io.rvoip.media.dtmf;
