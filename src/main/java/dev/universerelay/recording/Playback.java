package dev.universerelay.recording;

import dev.universerelay.protocol.ReplayCodec;
import dev.universerelay.protocol.ServerMessage;

/**
 * What a connection that watches the past is attached to, instead of a universe: a replay of a
 * recording ({@link ReplaySession}) or a live universe seen with a delay ({@link DelayedView}).
 * The transport answers pings and controls through it and stops it when the socket closes.
 */
public interface Playback {

    /** Applies a replay control; returns why it was refused, or null. */
    String control(ReplayCodec.Control control);

    /** A pong in the playback's own server time. */
    ServerMessage.Pong pong(double clientTime);

    /** Stops sending and releases what it holds; false when it was stopped already. */
    boolean stop();
}
