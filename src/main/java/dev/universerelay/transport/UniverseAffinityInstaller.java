package dev.universerelay.transport;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import jakarta.inject.Singleton;
import java.util.function.Function;

/**
 * Puts a {@link UniverseAffinity} right behind the HTTP codec of every TCP connection the server
 * accepts ({@link BehindHttpCodec}), and lists the loops of the server's connection group once
 * ({@link UniverseLoops}).
 */
@Singleton
final class UniverseAffinityInstaller implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private volatile UniverseLoops loops;
    private final Function<Channel, UniverseLoops> loopsOf = this::loopsOf;

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new BehindHttpCodec(UniverseAffinity.NAME, channel -> new UniverseAffinity(loopsOf)));
        return event.getBean();
    }

    /** The loops of the group {@code channel} is registered with (listed on first use, again if the group differs). */
    UniverseLoops loopsOf(Channel channel) {
        EventLoopGroup group = channel.eventLoop().parent();
        UniverseLoops known = loops;
        if (known == null || !known.serves(group)) {
            known = UniverseLoops.of(group);
            loops = known;
        }
        return known;
    }
}
