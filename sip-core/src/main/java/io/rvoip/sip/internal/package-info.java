/**
 * Implementation helpers shared by the sip-core packages (the SIP parser and the SDP parser).
 * Not a public API: types here may change in any release.
 */
package io.rvoip.sip.internal;
