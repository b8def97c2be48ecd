package dev.universerelay.recording;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The node's recordings directory: one file per recording, named by its id, which is the only
 * name a client may use (so no path a client sends ever reaches the file system). Scans a file
 * once per size and modification time and keeps what it found ({@link RecordingIndex}); applies
 * retention by age and total size, never to a file still being written.
 */
public final class RecordingStore {
    /** Recording ids: universe name, a dash, the start time, maybe a node suffix. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    static final String SUFFIX = ".urrec";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Map<String, Cached> scans = new ConcurrentHashMap<>();

    private record Cached(long size, long modified, RecordingIndex index) {
    }

    public RecordingStore(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** Creates the directory if needed. */
    public void prepare() throws IOException {
        Files.createDirectories(directory);
    }

    /** A new id for a recording of {@code universe} starting at {@code time}; {@code node} is "" on one node. */
    public String newId(String universe, long time, String node) {
        String base = universe + "-" + STAMP.format(Instant.ofEpochMilli(time)) + (node.isEmpty() ? "" : "-" + node);
        String id = base;
        for (int n = 2; Files.exists(pathOf(id)); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    /** The file of a recording id; the id must match {@link #ID}. */
    public Path pathOf(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("recording ids are 1 to 128 of A-Z a-z 0-9 _ -");
        }
        return directory.resolve(id + SUFFIX);
    }

    /** Every readable recording, newest first; files that are not recordings are left out. */
    public List<RecordingIndex> list() {
        List<RecordingIndex> all = new ArrayList<>();
        for (String id : ids()) {
            find(id).ifPresent(all::add);
        }
        all.sort(Comparator.comparingLong(RecordingIndex::start).reversed());
        return all;
    }

    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (ID.matcher(id).matches()) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            return ids;
        }
        return ids;
    }

    /** The recording's index, scanned now unless the file did not change; empty for an unknown id or a file that is not a recording. */
    public Optional<RecordingIndex> find(String id) {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Path path = pathOf(id);
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            long size = attributes.size();
            long modified = attributes.lastModifiedTime().toMillis();
            Cached cached = scans.get(id);
            if (cached != null && cached.size == size && cached.modified == modified) {
                return Optional.of(cached.index);
            }
            RecordingIndex index = scan(id, path, size);
            if (index == null) {
                return Optional.empty();
            }
            scans.put(id, new Cached(size, modified, index));
            return Optional.of(index);
        } catch (NoSuchFileException e) {
            scans.remove(id);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reads a whole file; null when it is not a recording or holds no keyframe (nothing to play). */
    static RecordingIndex scan(String id, Path path, long size) throws IOException {
        try (RecordingReader reader = RecordingReader.open(path)) {
            Recorded.Header header = null;
            long start = -1;
            long end = -1;
            Set<String> players = new LinkedHashSet<>();
            List<RecordingIndex.KeyframeAt> keyframes = new ArrayList<>();
            long offset = reader.offset();
            for (Recorded r = reader.next(); r != null; r = reader.next()) {
                if (r instanceof Recorded.Header h) {
                    header = h;
                } else if (r instanceof Recorded.Keyframe k) {
                    keyframes.add(new RecordingIndex.KeyframeAt(k.time(), offset));
                    k.players().forEach(p -> players.add(p.name()));
                } else if (r instanceof Recorded.Event e && e.message() instanceof dev.universerelay.protocol.ServerMessage.Joined j) {
                    players.add(j.name());
                }
                if (start < 0) {
                    start = r.time();
                }
                end = Math.max(end, r.time());
                offset = reader.offset();
            }
            if (header == null || keyframes.isEmpty()) {
                return null;
            }
            return new RecordingIndex(id, header.universe(), header.node(), start, end, size, List.copyOf(players),
                    reader.stop() == RecordingReader.Stop.END, reader.stop() == RecordingReader.Stop.END ? "" : reader.stopDetail(),
                    List.copyOf(keyframes));
        } catch (IOException e) {
            if (Files.exists(path)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Deletes recordings that ended more than {@code maxAgeMillis} ago, then the oldest ones while
     * all together exceed {@code maxTotalBytes}. Files for which {@code inUse} is true (being
     * written, being replayed) are kept. Returns the ids deleted.
     */
    public List<String> applyRetention(long nowMillis, long maxAgeMillis, long maxTotalBytes, Predicate<String> inUse) {
        List<String> deleted = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String id : ids()) {
            files.add(pathOf(id));
        }
        record FileInfo(String id, Path path, long modified, long size) {
        }
        List<FileInfo> infos = new ArrayList<>();
        for (Path p : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                String name = p.getFileName().toString();
                infos.add(new FileInfo(name.substring(0, name.length() - SUFFIX.length()), p, a.lastModifiedTime().toMillis(), a.size()));
            } catch (IOException gone) {
                // deleted meanwhile
            }
        }
        infos.sort(Comparator.comparingLong(FileInfo::modified));
        long total = infos.stream().mapToLong(FileInfo::size).sum();
        for (FileInfo f : infos) {
            boolean tooOld = nowMillis - f.modified() > maxAgeMillis;
            boolean tooMuch = total > maxTotalBytes;
            if ((tooOld || tooMuch) && !inUse.test(f.id())) {
                try {
                    Files.deleteIfExists(f.path());
                    scans.remove(f.id());
                    total -= f.size();
                    deleted.add(f.id());
                } catch (IOException e) {
                    // left for the next round
                }
            }
        }
        return deleted;
    }
}
