/**
 * RTP session statistics: receiver state per RFC 3550 §A.1/§A.3/§A.8, sender state, the RTCP
 * interval of §6.3 with reconsideration, and SSRC collision/loop detection of §8.2.
 */
package io.rvoip.rtp.stats;
