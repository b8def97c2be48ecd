package dev.universerelay.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.Appeared;
import dev.universerelay.protocol.ServerMessage.Destroyed;
import dev.universerelay.protocol.ServerMessage.Joined;
import dev.universerelay.protocol.ServerMessage.Left;
import dev.universerelay.protocol.ServerMessage.PlayerInfo;
import dev.universerelay.protocol.ServerMessage.Velocity;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording file: written off the caller's thread, read back whole, and read up to the damage when damaged. */
class RecordingFileTest {
    static final long T0 = 1_763_830_000_000L;

    @TempDir
    Path dir;
    final RecordingWriter writer = new RecordingWriter();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final RecordingObserver observer = new RecordingObserver() {
        @Override
        public void failed(String recordingId, String reason, String detail) {
            failures.add(recordingId + " " + reason);
        }

        @Override
        public void written(long bytes) {
        }
    };

    @AfterEach
    void stopWriter() {
        writer.close(2000);
    }

    /** A short game: ada plays, bob joins, a ship moves, is destroyed, bob leaves. */
    static List<Recorded.Event> script() {
        List<Recorded.Event> events = new ArrayList<>();
        events.add(new Recorded.Event(T0 + 100, new Joined(2, "bob")));
        events.add(new Recorded.Event(T0 + 200, new Appeared(7, 2, 1, 10, 20, 30, 0, T0 + 200, 5)));
        for (int i = 1; i <= 30; i++) {
            long t = T0 + 200 + i * 100L;
            events.add(new Recorded.Event(t, new Velocity(7, 10 + i * 3, 20, 30, i, t)));
        }
        events.add(new Recorded.Event(T0 + 3300, new Destroyed(7, T0 + 3300)));
        events.add(new Recorded.Event(T0 + 3400, new Left(2)));
        return events;
    }

    Recorder record(String id, List<Recorded.Event> events, Recorder.FileOpener opener, int maxQueue) {
        Recorder recorder = new Recorder(id, dir.resolve(id + RecordingStore.SUFFIX), "", maxQueue, 1000, writer, observer, opener);
        recorder.started("alpha", T0, List.of(new PlayerInfo(1, "ada")),
                List.of(new Appeared(3, 1, 2, 0, 0, 1, 1, T0 - 50, 0)));
        for (Recorded.Event e : events) {
            recorder.event(e.message(), e.time());
        }
        return recorder;
    }

    static List<Recorded> readAll(RecordingReader reader) throws IOException {
        List<Recorded> all = new ArrayList<>();
        for (Recorded r = reader.next(); r != null; r = reader.next()) {
            all.add(r);
        }
        return all;
    }

    static List<Recorded.Event> eventsOf(List<Recorded> records) {
        return records.stream().filter(r -> r instanceof Recorded.Event).map(r -> (Recorded.Event) r).toList();
    }

    @Test
    void a_recording_reads_back_with_every_event_in_order_keyframes_between_and_an_end() throws IOException {
        Recorder recorder = record("alpha-1", script(), Recorder.FileOpener.FILES, 1000);
        recorder.stop(T0 + 3500, "stopped by an operator");
        await().atMost(10, TimeUnit.SECONDS).until(recorder::isFinished);

        try (RecordingReader reader = RecordingReader.open(recorder.path())) {
            List<Recorded> records = readAll(reader);
            assertThat(reader.stop()).as(reader.stopDetail()).isEqualTo(RecordingReader.Stop.END);
            assertThat(records.get(0)).isEqualTo(new Recorded.Header(1, "alpha", T0, ""));
            assertThat(records.get(1)).isInstanceOf(Recorded.Keyframe.class);
            assertThat(eventsOf(records)).containsExactlyElementsOf(script());
            assertThat(records.get(records.size() - 1)).isEqualTo(new Recorded.End(T0 + 3500, "stopped by an operator"));
            List<Recorded.Keyframe> keyframes = records.stream().filter(r -> r instanceof Recorded.Keyframe)
                    .map(r -> (Recorded.Keyframe) r).toList();
            assertThat(keyframes).hasSizeGreaterThanOrEqualTo(4); // start, then one per second of a 3.4 s game
            Recorded.Keyframe atTwoSeconds = keyframes.stream().filter(k -> k.time() >= T0 + 2000).findFirst().orElseThrow();
            assertThat(atTwoSeconds.players()).extracting(PlayerInfo::name).containsExactly("ada", "bob");
            assertThat(atTwoSeconds.entities()).extracting(Appeared::id).containsExactly(3L, 7L);
        }
        assertThat(failures).isEmpty();

        RecordingIndex index = new RecordingStore(dir).find("alpha-1").orElseThrow();
        assertThat(index.universe()).isEqualTo("alpha");
        assertThat(index.start()).isEqualTo(T0);
        assertThat(index.durationMillis()).isEqualTo(3500);
        assertThat(index.players()).containsExactly("ada", "bob");
        assertThat(index.complete()).isTrue();
        assertThat(index.sizeBytes()).isEqualTo(Files.size(recorder.path()));
        assertThat(index.keyframeFor(T0 + 2500).time()).isBetween(T0 + 2000, T0 + 2500);
    }

    @Test
    void a_file_cut_short_reads_up_to_its_last_complete_record() throws IOException {
        Recorder recorder = record("alpha-2", script(), Recorder.FileOpener.FILES, 1000);
        recorder.stop(T0 + 3500, "done");
        await().atMost(10, TimeUnit.SECONDS).until(recorder::isFinished);
        byte[] whole = Files.readAllBytes(recorder.path());
        Path cut = dir.resolve("cut" + RecordingStore.SUFFIX);
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 30)); // the end record and part of the last event

        try (RecordingReader reader = RecordingReader.open(cut)) {
            List<Recorded.Event> events = eventsOf(readAll(reader));
            assertThat(reader.stop()).isEqualTo(RecordingReader.Stop.TRUNCATED);
            assertThat(reader.stopDetail()).contains("incomplete");
            assertThat(events).isNotEmpty().isEqualTo(script().subList(0, events.size()));
            assertThat(events.size()).isGreaterThanOrEqualTo(script().size() - 2);
        }
        RecordingIndex index = new RecordingStore(dir).find("cut").orElseThrow();
        assertThat(index.complete()).isFalse();
        assertThat(index.damage()).contains("incomplete");
    }

    @Test
    void a_damaged_record_stops_reading_there_and_says_so() throws IOException {
        Recorder recorder = record("alpha-3", script(), Recorder.FileOpener.FILES, 1000);
        recorder.stop(T0 + 3500, "done");
        await().atMost(10, TimeUnit.SECONDS).until(recorder::isFinished);
        byte[] bytes = Files.readAllBytes(recorder.path());
        long tenth;
        try (RecordingReader reader = RecordingReader.open(recorder.path())) {
            for (int i = 0; i < 10; i++) {
                reader.next();
            }
            tenth = reader.offset();
        }
        bytes[(int) tenth + 12] ^= 0x5A; // inside the 11th record's body: its checksum no longer matches
        Path damaged = dir.resolve("damaged" + RecordingStore.SUFFIX);
        Files.write(damaged, bytes);

        try (RecordingReader reader = RecordingReader.open(damaged)) {
            List<Recorded.Event> events = eventsOf(readAll(reader));
            assertThat(reader.stop()).isEqualTo(RecordingReader.Stop.CORRUPT);
            assertThat(reader.stopDetail()).containsAnyOf("checksum", "claims");
            assertThat(events).isEqualTo(script().subList(0, events.size()));
            assertThat(events.size()).isLessThan(script().size());
        }
    }

    @Test
    void a_file_that_is_not_a_recording_is_refused_with_a_clear_error() throws IOException {
        Path junk = dir.resolve("junk" + RecordingStore.SUFFIX);
        Files.writeString(junk, "this is not a recording at all");
        assertThatThrownBy(() -> RecordingReader.open(junk)).isInstanceOf(IOException.class).hasMessageContaining("not a recording");
        Path tiny = dir.resolve("tiny" + RecordingStore.SUFFIX);
        Files.write(tiny, new byte[] {'U', 'R'});
        assertThatThrownBy(() -> RecordingReader.open(tiny)).isInstanceOf(IOException.class).hasMessageContaining("too short");
        assertThat(new RecordingStore(dir).find("junk")).isEmpty();
        assertThat(new RecordingStore(dir).list()).isEmpty();
    }

    @Test
    void a_full_disk_stops_the_recording_once_and_the_universe_side_keeps_going() {
        Recorder recorder = record("alpha-4", List.of(), path -> new FileOutputStream("/dev/full"), 1000);
        await().atMost(10, TimeUnit.SECONDS).until(recorder::isFinished);
        for (Recorded.Event e : script()) {
            recorder.event(e.message(), e.time()); // returns at once, nothing queued
        }
        assertThat(recorder.isRecording()).isFalse();
        assertThat(failures).containsExactly("alpha-4 io-error");
    }

    @Test
    void a_queue_the_disk_cannot_empty_in_time_stops_the_recording_without_blocking_the_caller() throws Exception {
        CountDownLatch diskStuck = new CountDownLatch(1);
        Recorder.FileOpener slowDisk = path -> {
            try {
                diskStuck.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Files.newOutputStream(path);
        };
        long start = System.nanoTime();
        Recorder recorder = record("alpha-5", script(), slowDisk, 8);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(recorder.isRecording()).isFalse();
        assertThat(tookMillis).isLessThan(5000); // did not wait for the stuck disk (10 s)
        diskStuck.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(recorder::isFinished);
        assertThat(failures).containsExactly("alpha-5 queue-full"); // reported once, by the writer thread
    }

    @Test
    void retention_deletes_old_recordings_then_the_oldest_beyond_the_size_budget_but_never_one_in_use() throws IOException {
        RecordingStore store = new RecordingStore(dir);
        long now = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) {
            Path p = store.pathOf("r" + i);
            Files.write(p, new byte[1000]);
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(now - (5 - i) * 3_600_000L));
        }
        // r0 is 5 h old, r4 1 h: an age limit of 4.5 h takes r0; 2500 bytes in all takes r1 and r2 (r3 is in use)
        List<String> deleted = store.applyRetention(now, 16_200_000L, 2500, id -> id.equals("r3"));
        assertThat(deleted).containsExactly("r0", "r1", "r2");
        assertThat(Files.exists(store.pathOf("r3"))).isTrue();
        assertThat(Files.exists(store.pathOf("r4"))).isTrue();
    }

    @Test
    void ids_that_could_name_another_file_are_refused() {
        RecordingStore store = new RecordingStore(dir);
        assertThatThrownBy(() -> store.pathOf("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.find("../x")).isEmpty();
        assertThat(store.find("a.b")).isEmpty();
        assertThat(store.find("nothing-here")).isEmpty();
    }
}
