// A scriptable stand-in for the browser WebSocket: tests play the server.
import { decodeBinaryFrame, encodeBinaryFrame } from '../../sdk/src/binary-codec.js';

export function makeFakeWebSocketClass() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url, protocols) {
      this.url = new URL(url);
      this.protocols = protocols;
      this.protocol = '';
      this.readyState = 0;
      this.sent = [];
      this.closedWith = null;
      sockets.push(this);
    }

    send(data) {
      if (this.readyState !== 1) throw new Error('send on a socket that is not open');
      this.sent.push(data);
    }

    close(code, reason) {
      this.closedWith = { code, reason };
      this.readyState = 3;
    }

    // ---- server side ----
    accept(protocol = protocols0(this)) {
      this.protocol = protocol;
      this.readyState = 1;
      this.onopen?.({});
    }

    serverSendJson(message) {
      this.onmessage?.({ data: JSON.stringify(message) });
    }

    serverSendBinary(messages) {
      const bytes = encodeBinaryFrame(messages);
      this.onmessage?.({ data: bytes.buffer });
    }

    serverClose(code, reason = '') {
      this.readyState = 3;
      this.onclose?.({ code, reason });
    }

    /** Every client message sent so far, decoded. */
    sentMessages() {
      return this.sent.flatMap((frame) => (typeof frame === 'string'
        ? [JSON.parse(frame)].flat()
        : decodeBinaryFrame(frame)));
    }
  }
  function protocols0(socket) {
    return Array.isArray(socket.protocols) ? socket.protocols[0] : socket.protocols;
  }
  return { FakeWebSocket, sockets };
}
