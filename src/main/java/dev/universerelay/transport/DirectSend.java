package dev.universerelay.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.util.Map;

/**
 * Sends a frame to its socket in one system call, straight from the loop's native buffer, when Netty
 * holds nothing for the channel: no trip through the pipeline, no outbound-buffer entry, no slice,
 * no flush. Where the relay writes once per event (a receiver gets fewer events than loop turns)
 * that Java path was a third of its own CPU per event beside the kernel's send (docs/performance.md,
 * "Direct sends"). Whatever the socket does not take at once, and every frame while Netty still holds
 * something of the channel, goes Netty's way as before, so bytes stay in order and a congested
 * reader is handled by Netty's buffer and the outbox's policy as before.
 *
 * <p>Only for epoll sockets (Linux, Netty's native transport) whose pipeline has no outbound handler
 * between the socket and the WebSocket frame encoder: nothing that has to see the bytes (TLS, traffic
 * shaping, logging) is skipped. Called on the channel's event loop only, which is also where Netty
 * closes the socket, so a channel found active is not closed before the send returns.
 */
final class DirectSend {
    private DirectSend() {
    }

    /**
     * Whether frames for this channel may skip Netty's outbound path: an epoll socket whose pipeline,
     * from the socket up to {@code encoder}, has no outbound handler.
     */
    static boolean allowed(Channel channel, ChannelHandlerContext encoder) {
        if (!(channel instanceof EpollSocketChannel epoll) || !(epoll.fd() instanceof Socket)) {
            return false;
        }
        for (Map.Entry<String, ChannelHandler> entry : channel.pipeline()) { // from the socket's end
            if (entry.getValue() == encoder.handler()) {
                return true;
            }
            if (entry.getValue() instanceof ChannelOutboundHandler) {
                return false;
            }
        }
        return false;
    }

    /** Whether Netty holds nothing of the channel's (written, flushed or not, and not yet sent): only then may a frame go first. */
    static boolean nettyHoldsNothing(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer != null && buffer.isEmpty() && buffer.totalPendingWriteBytes() == 0;
    }

    /**
     * Sends {@code length} bytes from native memory at {@code address} to the channel's socket, which
     * {@link #allowed} accepted; returns how many it took (0 when its send buffer is full), or -1 on an
     * error, which the caller leaves to Netty's path to meet and handle (close, exception) as before.
     */
    static int send(Channel channel, long address, int length) {
        try {
            return ((Socket) ((EpollSocketChannel) channel).fd()).sendAddress(address, 0, length);
        } catch (IOException e) {
            return -1;
        }
    }
}
