package dev.universerelay.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's 15 minutes of samples: bounded per node and in nodes, newest kept. */
class SampleHistoryTest {

    private static NodePoint at(long millis) {
        return new NodePoint(millis, 1, 1, 1, 1, 1, 1, 1, 0);
    }

    @Test
    void keepsTheLastSamplesOfEachNodeInOrder() {
        SampleHistory history = new SampleHistory(3, 10);
        for (long t = 1; t <= 5; t++) {
            history.record("a", at(t * 1000));
        }
        history.record("a", at(4000)); // not newer: ignored
        history.record("b", at(2500));
        List<NodeSeries> all = history.since(0);
        assertThat(all).extracting(NodeSeries::node).containsExactly("a", "b");
        assertThat(all.get(0).points()).extracting(NodePoint::at).containsExactly(3000L, 4000L, 5000L);
        assertThat(history.since(4000).get(0).points()).extracting(NodePoint::at).containsExactly(5000L);
        assertThat(history.since(5000).get(0).points()).isEmpty();
    }

    @Test
    void forgetsTheNodeHeardFromLeastRecentlyBeyondTheCap() {
        SampleHistory history = new SampleHistory(10, 2);
        history.record("a", at(1000));
        history.record("b", at(1000));
        history.record("a", at(2000));
        history.record("c", at(2000)); // b is the stalest
        assertThat(history.since(0)).extracting(NodeSeries::node).containsExactly("a", "c");
    }
}
