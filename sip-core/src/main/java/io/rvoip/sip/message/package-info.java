/**
 * SIP messages (RFC 3261 §7): immutable requests and responses backed by their wire bytes,
 * builders that make modified copies, RFC 3261 §8.2 request validation, and random
 * identifiers (§8.1.1, §19.3).
 */
package io.rvoip.sip.message;
