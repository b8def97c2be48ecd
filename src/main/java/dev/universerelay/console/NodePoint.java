package dev.universerelay.console;

import io.micronaut.serde.annotation.Serdeable;

/**
 * One node's activity over one sampling interval (a second): what the console charts.
 *
 * @param at               epoch milliseconds of the sample
 * @param eventsIn         client messages (spawn, move, destroy, view, ping) per second
 * @param eventsOut        server messages queued per second, once per recipient
 * @param bytesIn          WebSocket payload bytes received per second
 * @param bytesOut         WebSocket payload bytes written per second
 * @param fanoutP99Micros  p99 over the interval of {@code relay_fanout_seconds} (validate, apply and
 *                         queue one action for every recipient), in microseconds; 0 with no action
 * @param refusals         refused clients and abuse closes per second, every reason together
 */
@Serdeable
public record NodePoint(long at, int connections, int players, double eventsIn, double eventsOut, double bytesIn,
                        double bytesOut, double fanoutP99Micros, double refusals) {
}
