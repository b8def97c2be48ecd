package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage.LimitsInfo;

/**
 * The rules every universe of a node plays by.
 *
 * @param limits       the limits announced in {@code welcome} (rate and burst are enforced per connection elsewhere)
 * @param maxPlayers   players per universe, players in their resume grace included; 0 means unlimited
 * @param graceMillis  how long a dropped player keeps its number and entities
 * @param interest     interest management, on or off for this universe
 * @param maxPlayersPerOrigin players of this node from one origin (client address) per universe, those in their
 *                     resume grace included (else an address could drop and reconnect its way to every slot);
 *                     0 means no per-origin limit
 */
public record UniverseSettings(LimitsInfo limits, int maxPlayers, long graceMillis, InterestSettings interest,
                               int maxPlayersPerOrigin) {

    /** Rules without a per-origin share. */
    public UniverseSettings(LimitsInfo limits, int maxPlayers, long graceMillis, InterestSettings interest) {
        this(limits, maxPlayers, graceMillis, interest, 0);
    }

    /** Rules without interest management. */
    public UniverseSettings(LimitsInfo limits, int maxPlayers, long graceMillis) {
        this(limits, maxPlayers, graceMillis, InterestSettings.OFF);
    }
}
