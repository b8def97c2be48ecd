package dev.universerelay.transport;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.http.server.netty.websocket.NettyServerWebSocketUpgradeHandler;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;

/**
 * Removes permessage-deflate, which Micronaut installs on every connection. Relay deltas are
 * small binary messages that barely compress, while deflate costs CPU on the hot path and
 * tens of kilobytes of zlib state per connection. {@code relay.websocket.permessage-deflate: true}
 * keeps it.
 */
@Singleton
@Requires(property = "relay.websocket.permessage-deflate", notEquals = "true")
final class CompressionSwitch implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new WithoutDeflate(null));
        return event.getBean();
    }

    private record WithoutDeflate(Channel channel) implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new WithoutDeflate(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get(NettyServerWebSocketUpgradeHandler.COMPRESSION_HANDLER) != null) {
                channel.pipeline().remove(NettyServerWebSocketUpgradeHandler.COMPRESSION_HANDLER);
            }
        }
    }
}
