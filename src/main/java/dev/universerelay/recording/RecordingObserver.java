package dev.universerelay.recording;

/**
 * What the recording machinery tells the node's metrics and logs; the wiring implements it, so
 * this package stays free of the metrics library.
 */
public interface RecordingObserver {

    /** A recording stopped because it could not keep up or write ({@code reason}: queue-full, io-error). */
    void failed(String recordingId, String reason, String detail);

    /** Bytes appended to recording files. */
    void written(long bytes);

    RecordingObserver NONE = new RecordingObserver() {
        @Override
        public void failed(String recordingId, String reason, String detail) {
        }

        @Override
        public void written(long bytes) {
        }
    };
}
