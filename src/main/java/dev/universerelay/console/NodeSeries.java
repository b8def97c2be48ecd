package dev.universerelay.console;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** One node's samples, oldest first, for the console's charts. */
@Serdeable
public record NodeSeries(String node, List<NodePoint> points) {
}
