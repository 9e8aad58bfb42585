/**
 * Header names and typed header values (RFC 3261 §20 and the extensions RFC 3262, 3311, 3323,
 * 3325, 3326, 3515, 3891, 4028, 6665, 7616), parsed lazily from the message's bytes.
 */
package io.rvoip.sip.header;
