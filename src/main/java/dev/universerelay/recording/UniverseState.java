package dev.universerelay.recording;

import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.Appeared;
import dev.universerelay.protocol.ServerMessage.PlayerInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a universe looks like after a run of records: its players and each entity's last state.
 * The recorder keeps one to write keyframes without asking the universe (whose lock it must not
 * take), and a replay keeps one to build the {@code welcome} of a seek. Not thread-safe: each
 * belongs to one recording or one replay.
 */
public final class UniverseState {
    private final Map<Long, String> players = new LinkedHashMap<>();
    private final Map<Long, Appeared> entities = new LinkedHashMap<>();

    /** Applies a keyframe (replaces everything) or an event; headers and ends change nothing. */
    public void apply(Recorded record) {
        if (record instanceof Recorded.Keyframe k) {
            players.clear();
            entities.clear();
            k.players().forEach(p -> players.put(p.player(), p.name()));
            k.entities().forEach(e -> entities.put(e.id(), e));
        } else if (record instanceof Recorded.Event event) {
            apply(event.message());
        }
    }

    /** Applies one change as a client would. */
    public void apply(ServerMessage m) {
        if (m instanceof Appeared a) {
            entities.put(a.id(), a);
        } else if (m instanceof ServerMessage.Velocity v) {
            Appeared known = entities.get(v.id());
            if (known != null) {
                entities.put(v.id(), new Appeared(v.id(), known.owner(), known.kind(), v.x(), v.y(), v.vx(), v.vy(),
                        v.serverTime(), 0));
            }
        } else if (m instanceof ServerMessage.Destroyed d) {
            entities.remove(d.id());
        } else if (m instanceof ServerMessage.Joined j) {
            players.put(j.player(), j.name());
        } else if (m instanceof ServerMessage.Left l) {
            players.remove(l.player());
        }
    }

    /** The state as a keyframe at {@code time}; entity refs are 0, as in a {@code welcome}. */
    public Recorded.Keyframe keyframe(long time) {
        var ps = new ArrayList<PlayerInfo>(players.size());
        players.forEach((number, name) -> ps.add(new PlayerInfo(number, name)));
        var es = new ArrayList<Appeared>(entities.size());
        for (Appeared a : entities.values()) {
            es.add(a.ref() == 0 ? a : new Appeared(a.id(), a.owner(), a.kind(), a.x(), a.y(), a.vx(), a.vy(), a.serverTime(), 0));
        }
        return new Recorded.Keyframe(time, ps, es);
    }

    public int playerCount() {
        return players.size();
    }

    public int entityCount() {
        return entities.size();
    }
}
