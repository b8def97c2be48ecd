package dev.universerelay.support;

/** Tears down what a test started, in order, whichever of it was started. */
public final class Closeables {
    private Closeables() {
    }

    /**
     * Closes each of {@code closeables} that is not null, in order; if one fails, the rest are still
     * closed and the first failure is thrown at the end (the others added as suppressed).
     */
    public static void closeAll(AutoCloseable... closeables) {
        RuntimeException failure = null;
        for (AutoCloseable closeable : closeables) {
            if (closeable == null) {
                continue;
            }
            try {
                closeable.close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
