package bench.interest;

import java.util.Arrays;

/** Open-addressing int to int map (keys > 0), for what one pilot is shown: entity id to last sequence. */
final class IntIntMap {
    static final int ABSENT = Integer.MIN_VALUE;
    private int[] keys = new int[64];
    private int[] values = new int[64];
    private int size;

    int size() {
        return size;
    }

    private static int hash(int k) {
        int h = k * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    int get(int key) {
        int mask = keys.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) return values[i];
            if (k == 0) return ABSENT;
        }
    }

    void put(int key, int value) {
        if ((size + 1) * 2 > keys.length) grow();
        int mask = keys.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    /** Removes the key; returns whether it was there. Backward-shift deletion keeps probes short. */
    boolean remove(int key) {
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (true) {
            int k = keys[i];
            if (k == 0) return false;
            if (k == key) break;
            i = (i + 1) & mask;
        }
        size--;
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = hash(keys[j]) & mask;
            // move keys[j] into the hole when its home is not cyclically within (hole, j]
            boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!between) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        values[hole] = 0;
        return true;
    }

    void clear() {
        Arrays.fill(keys, 0);
        size = 0;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) put(oldKeys[i], oldValues[i]);
        }
    }
}
