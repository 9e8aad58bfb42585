/**
 * Time: the {@link io.rvoip.infra.time.Clock} abstraction (real and manual), and a hashed
 * wheel {@link io.rvoip.infra.time.TimerService} that fires each timer on its owner's shard.
 * SIP timers (RFC 3261 §17, Table 4), session timers and RTCP intervals all run on it.
 */
package io.rvoip.infra.time;
