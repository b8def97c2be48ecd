package dev.universerelay.recording;

/**
 * Which node records a universe that several nodes share (docs/cluster.md, *Recordings*): every
 * node's copy sees every change, so any one of them can record it whole, and exactly one should.
 * A lease per universe, taken and renewed by the node that records, lapses when that node dies,
 * and is released when its copy closes or the node shuts down; another node with a copy then
 * takes it and starts a new recording (a new file, beginning with a full keyframe). Calls may wait
 * for the shared store: never call them holding a universe lock or on an event loop.
 */
public interface RecordingLeases {

    /** Takes the lease on recording {@code universe} for this node, or renews it; false while another node holds it. */
    boolean hold(String universe);

    /** Gives the lease up, if this node holds it. */
    void release(String universe);

    /** One node: it always records what it is told to. */
    RecordingLeases SINGLE_NODE = new RecordingLeases() {
        @Override
        public boolean hold(String universe) {
            return true;
        }

        @Override
        public void release(String universe) {
        }
    };
}
