package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is in one universe: players and spectators by number and by subject (a second connection
 * with the same subject is the same member), the players of other nodes mirrored here included.
 * Only the tables and what can be read from them; the ways in and out, with the messages they
 * send, are {@link Membership}'s. Used under the universe's lock.
 */
final class Roster {
    private final Map<Long, Player> players = new LinkedHashMap<>();
    private final Map<Long, Player> spectators = new LinkedHashMap<>();
    private final Map<String, Player> playersBySubject = new HashMap<>();
    private final Map<String, Player> spectatorsBySubject = new HashMap<>();
    /** Numbers of a single-node universe; with other nodes the cluster gives them. */
    private long nextNumber = 1;

    long nextNumber() {
        return nextNumber++;
    }

    void add(Player member) {
        (member.isSpectator() ? spectators : players).put(member.number(), member);
        bySubject(member.isSpectator()).put(member.identity().subject(), member);
    }

    void remove(Player member) {
        (member.isSpectator() ? spectators : players).remove(member.number());
        bySubject(member.isSpectator()).remove(member.identity().subject(), member);
    }

    /** The member this identity already is (connected or in its grace period), or null. */
    Player bySubject(PlayerIdentity identity) {
        return bySubject(identity.subject(), identity.spectator());
    }

    Player bySubject(String subject, boolean spectator) {
        return bySubject(spectator).get(subject);
    }

    /** Whether {@code subject} is a member with an open connection here. */
    boolean isConnected(String subject, boolean spectator) {
        Player member = bySubject(subject, spectator);
        return member != null && member.link != null;
    }

    private Map<String, Player> bySubject(boolean spectator) {
        return spectator ? spectatorsBySubject : playersBySubject;
    }

    Player player(long number) {
        return players.get(number);
    }

    /** The player or spectator of that number, or null. */
    Player member(long number) {
        Player player = players.get(number);
        return player != null ? player : spectators.get(number);
    }

    Collection<Player> players() {
        return players.values();
    }

    Collection<Player> spectators() {
        return spectators.values();
    }

    /** Players and spectators, in that order; a copy, so that the caller may remove members meanwhile. */
    List<Player> everyone() {
        List<Player> all = new ArrayList<>(players.values());
        all.addAll(spectators.values());
        return all;
    }

    /** Whether the universe holds {@code max} players already (0: no maximum). */
    boolean isFull(int max) {
        return max > 0 && players.size() >= max;
    }

    /**
     * Whether the players from {@code identity}'s origin, those in their resume grace included,
     * already hold {@code max} slots (0: no per-origin share).
     */
    boolean originShareTaken(PlayerIdentity identity, int max) {
        if (max <= 0 || identity.origin() == null) {
            return false;
        }
        int fromOrigin = 0;
        for (Player p : players.values()) {
            if (identity.origin().equals(p.identity().origin()) && ++fromOrigin >= max) {
                return true;
            }
        }
        return false;
    }

    /** Whether any member is served by this node (other nodes' members do not keep a copy here). */
    boolean hasLocalMember() {
        if (!spectators.isEmpty()) {
            return true;
        }
        for (Player p : players.values()) {
            if (!p.remote) {
                return true;
            }
        }
        return false;
    }

    /** This node's players whose connection dropped and whose grace period is over at {@code now}. */
    List<Player> graceOver(long now) {
        List<Player> expired = new ArrayList<>();
        for (Player p : players.values()) {
            if (p.link == null && !p.remote && p.graceDeadline <= now) {
                expired.add(p);
            }
        }
        return expired;
    }

    /** The numbers of this node's players (connected or in their grace period here). */
    Set<Long> localPlayerNumbers() {
        Set<Long> numbers = new HashSet<>();
        for (Player p : players.values()) {
            if (!p.remote) {
                numbers.add(p.number());
            }
        }
        return numbers;
    }

    /** The players but {@code player}, as a {@code welcome} lists them. */
    List<ServerMessage.PlayerInfo> playersBut(Player player) {
        List<ServerMessage.PlayerInfo> others = new ArrayList<>(players.size());
        for (Player p : players.values()) {
            if (p != player) {
                others.add(new ServerMessage.PlayerInfo(p.number(), p.identity().name()));
            }
        }
        return others;
    }

    /** Every member as operators see it. */
    List<UniverseMember> describe() {
        List<UniverseMember> result = new ArrayList<>();
        for (Player p : players.values()) {
            result.add(new UniverseMember(p.number(), p.identity().name(), false, p.link != null || p.remote,
                    p.entityIds.size()));
        }
        for (Player s : spectators.values()) {
            result.add(new UniverseMember(s.number(), s.identity().name(), true, s.link != null, 0));
        }
        return result;
    }

    int playerCount() {
        return players.size();
    }

    int spectatorCount() {
        return spectators.size();
    }

    void clear() {
        players.clear();
        spectators.clear();
        playersBySubject.clear();
        spectatorsBySubject.clear();
    }
}
