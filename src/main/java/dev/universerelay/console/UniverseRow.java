package dev.universerelay.console;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One universe in the console's list. Rates are those of the connections of the nodes listed in
 * {@code nodes} (summed over them in a cluster); counts are the universe's own.
 *
 * @param recording {@code "recording"} while a node records the universe; null otherwise (the
 *                  console shows "off")
 */
@Serdeable
public record UniverseRow(String name, int players, int spectators, int entities, double eventsIn, double eventsOut,
                          double bytesIn, double bytesOut, String recording, List<String> nodes) {
}
