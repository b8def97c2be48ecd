package dev.universerelay.transport;

import dev.universerelay.limits.LimitsConfiguration;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.http.server.netty.websocket.NettyServerWebSocketUpgradeHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import jakarta.inject.Singleton;

/**
 * Removes permessage-deflate, which Micronaut installs on every connection. Relay deltas are
 * small binary messages that barely compress, while deflate costs CPU on the hot path and
 * tens of kilobytes of zlib state per connection. {@code relay.websocket.permessage-deflate: true}
 * keeps it, with a bounded inflater instead of Micronaut's unbounded one: a frame of at most 64 KiB
 * can inflate to gigabytes (a zip bomb), so each frame's inflated bytes are capped (at
 * {@value #INFLATE_SLACK} times {@code relay.limits.max-frame-bytes}, at least 64 KiB); past that
 * the inflater fails and the connection is closed with 1009. The exact limit,
 * {@code max-frame-bytes} after inflation, is then applied by {@link WebSocketFrameReader}.
 */
@Singleton
final class CompressionSwitch implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    /** The inflater's allocation may overshoot what it inflates (it grows its buffer ahead). */
    static final int INFLATE_SLACK = 4;
    private final boolean deflate;
    private final int maxInflatedBytes;

    CompressionSwitch(@Value("${relay.websocket.permessage-deflate:false}") boolean deflate, LimitsConfiguration limits) {
        this.deflate = deflate;
        this.maxInflatedBytes = Math.max(RelayWebSocket.MAX_PAYLOAD, INFLATE_SLACK * limits.maxFrameBytes());
    }

    /** Whether permessage-deflate may be negotiated on a socket (then its encoder must see every frame). */
    boolean keepsDeflate() {
        return deflate;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Deflate(null, deflate, maxInflatedBytes));
        return event.getBean();
    }

    private record Deflate(Channel channel, boolean keep, int maxInflatedBytes) implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new Deflate(channel, keep, maxInflatedBytes) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel == null) {
                return;
            }
            ChannelPipeline pipeline = channel.pipeline();
            String name = NettyServerWebSocketUpgradeHandler.COMPRESSION_HANDLER;
            if (pipeline.get(name) == null) {
                return;
            }
            if (keep) {
                pipeline.replace(name, name, new WebSocketServerCompressionHandler(maxInflatedBytes));
            } else {
                pipeline.remove(name);
            }
        }
    }
}
