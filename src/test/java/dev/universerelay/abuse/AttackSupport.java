package dev.universerelay.abuse;


/** What only the attack tests need besides the fixtures of {@code support}. */
final class AttackSupport {
    private AttackSupport() {
    }

    /** Heap in use after asking for a collection (a rough yardstick, compared with generous bounds). */
    static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
