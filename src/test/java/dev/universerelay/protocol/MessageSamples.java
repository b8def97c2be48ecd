package dev.universerelay.protocol;

import java.util.List;

/**
 * One message of each kind, in the order of the {@code Kind} enums, for tests that must cover every
 * kind: {@link MessageKindTest} fails when a new kind has no sample here.
 */
public final class MessageSamples {

    public static final List<ServerMessage> SERVER = List.of(
            new ServerMessage.Appeared(1, 2, 3, 4, 5, 6, 7, 8, 9),
            new ServerMessage.Velocity(1, 2, 3, 4, 5, 6),
            new ServerMessage.Destroyed(1, 2),
            new ServerMessage.Hidden(1),
            new ServerMessage.Ack(1, 2, 3),
            new ServerMessage.Welcome("u", 1, "ada", 2, "r", List.of(), List.of(),
                    new ServerMessage.LimitsInfo(30, 60, 3, 2000, 100_000)),
            new ServerMessage.Joined(1, "ada"),
            new ServerMessage.Left(1),
            new ServerMessage.Pong(1.5, 2),
            new ServerMessage.Error(ErrorCode.BAD_MESSAGE, "no", 7L));

    public static final List<ClientMessage> CLIENT = List.of(
            new ClientMessage.Spawn(1, 2, 3, 4, 5, 6),
            new ClientMessage.Move(1, 2, 3, 4, 5),
            new ClientMessage.Destroy(1),
            new ClientMessage.Ping(1.5),
            new ClientMessage.View(1, 2, 3));

    private MessageSamples() {
    }
}
