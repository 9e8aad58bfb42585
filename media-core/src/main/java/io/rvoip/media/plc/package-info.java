/** Packet-loss concealment. */
package io.rvoip.media.plc;
