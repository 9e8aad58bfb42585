/**
 * RTCP packets: SR, RR, SDES, BYE, APP (RFC 3550), XR with the VoIP metrics block (RFC 3611),
 * generic NACK and PLI feedback (RFC 4585); compound parsing with the RFC 3550 §A.2 checks and
 * reduced-size RTCP (RFC 5506).
 */
package io.rvoip.rtp.rtcp;
