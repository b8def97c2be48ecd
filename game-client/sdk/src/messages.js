/**
 * The messages of relay protocol v1 (and this project's additive extensions) as types:
 * discriminated unions on `t`, so `switch (m.t)` narrows to the exact fields of each message.
 * This module holds types only; it exports nothing at run time.
 *
 * Field names are the wire's (JSON form); binary messages decode to the same objects.
 * @module messages
 */

/**
 * The state of an entity at a server time: position (units), velocity (units per second) and
 * `s`, the server time in ms since the epoch at which the state holds.
 * @typedef {object} EntityState
 * @property {number} x
 * @property {number} y
 * @property {number} vx
 * @property {number} vy
 * @property {number} s
 */

/**
 * Position and velocity without a time: what a client sends in `move`.
 * @typedef {object} Motion
 * @property {number} x
 * @property {number} y
 * @property {number} vx
 * @property {number} vy
 */

/**
 * An entity as the server describes it in `appeared` and in a welcome snapshot.
 * @typedef {object} EntitySnapshot
 * @property {number} id entity id (u32)
 * @property {number} o owner's player number
 * @property {number} k the game's kind number (u16)
 * @property {number} x
 * @property {number} y
 * @property {number} vx
 * @property {number} vy
 * @property {number} s server time of the state, ms
 */

// ---------------------------------------------------------------- client to server

/**
 * @typedef {object} SpawnMessage
 * @property {'spawn'} t
 * @property {number} ref the client's number for it, echoed in the `appeared` (u32)
 * @property {number} k kind (u16)
 * @property {number} x
 * @property {number} y
 * @property {number} vx
 * @property {number} vy
 */

/**
 * `seq` is the input-acknowledgement extension (protocol section 14): when present (1..2^32-1),
 * the server answers the sender with an `ack` of the same `seq` when it applied the move, or an
 * `error` carrying the `seq` when it refused it.
 * @typedef {object} MoveMessage
 * @property {'move'} t
 * @property {number} id
 * @property {number} x
 * @property {number} y
 * @property {number} vx
 * @property {number} vy
 * @property {number} [seq]
 */

/**
 * @typedef {object} DestroyMessage
 * @property {'destroy'} t
 * @property {number} id
 */

/**
 * @typedef {object} PingMessage
 * @property {'ping'} t
 * @property {number} c the client's clock, ms, echoed in the pong
 */

/**
 * Interest management extension (protocol section 13).
 * @typedef {object} ViewMessage
 * @property {'view'} t
 * @property {number} x
 * @property {number} y
 * @property {number} r
 */

/** @typedef {SpawnMessage | MoveMessage | DestroyMessage | PingMessage | ViewMessage} ClientMessage */
/** The actions a game issues (everything a client sends but `ping`). */
/** @typedef {SpawnMessage | MoveMessage | DestroyMessage | ViewMessage} ActionMessage */

// ---------------------------------------------------------------- server to client

/**
 * @typedef {object} Limits
 * @property {number} rate messages per second
 * @property {number} burst token bucket size
 * @property {number} maxEntities entities one player may own
 * @property {number} maxSpeed largest `hypot(vx, vy)`
 * @property {number} bounds largest `abs(x)`, `abs(y)`
 */

/**
 * @typedef {object} PlayerInfo
 * @property {number} p player number
 * @property {string} name display name
 */

/**
 * @typedef {object} WelcomeMessage
 * @property {'welcome'} t
 * @property {number} v protocol version
 * @property {string} universe
 * @property {number} you this player's number
 * @property {string} name this player's name
 * @property {number} s server time, ms
 * @property {string} [resume] resume token
 * @property {PlayerInfo[]} [players] the others present
 * @property {EntitySnapshot[]} [entities] every entity (or those in view)
 * @property {Partial<Limits>} [limits]
 */

/**
 * @typedef {object} AppearedMessage
 * @property {'appeared'} t
 * @property {number} id
 * @property {number} o
 * @property {number} k
 * @property {number} x
 * @property {number} y
 * @property {number} vx
 * @property {number} vy
 * @property {number} s
 * @property {number} ref 0 unless it is the echo of the receiver's own spawn
 */

/**
 * @typedef {object} VelocityMessage
 * @property {'velocity'} t
 * @property {number} id
 * @property {number} x
 * @property {number} y
 * @property {number} vx
 * @property {number} vy
 * @property {number} s
 */

/**
 * @typedef {object} DestroyedMessage
 * @property {'destroyed'} t
 * @property {number} id
 * @property {number} s
 */

/**
 * Interest management extension: the entity left the receiver's view.
 * @typedef {object} HiddenMessage
 * @property {'hidden'} t
 * @property {number} id
 */

/**
 * Input-acknowledgement extension (protocol section 14): the server applied the sender's `move`
 * with this `seq` to entity `id` at server time `s`.
 * @typedef {object} AckMessage
 * @property {'ack'} t
 * @property {number} id
 * @property {number} seq
 * @property {number} s
 */

/**
 * @typedef {object} PongMessage
 * @property {'pong'} t
 * @property {number} c the ping's `c`
 * @property {number} s server time, ms
 */

/**
 * @typedef {object} JoinedMessage
 * @property {'joined'} t
 * @property {number} p
 * @property {string} name
 */

/**
 * @typedef {object} LeftMessage
 * @property {'left'} t
 * @property {number} p
 */

/**
 * The codes of `error` messages (protocol section 6).
 * @typedef {'bad_message' | 'out_of_bounds' | 'too_fast' | 'not_owner' | 'unknown_entity'
 *   | 'too_many_entities' | 'rate_limited' | 'read_only'} ServerErrorCode
 */

/**
 * @typedef {object} ErrorMessage
 * @property {'error'} t
 * @property {ServerErrorCode} code
 * @property {string} msg a sentence for developers; match on `code`
 * @property {number} [ref] when the refused message was a `spawn`
 * @property {number} [seq] when the refused message was a `move` with a `seq` (section 14)
 */

/**
 * @typedef {WelcomeMessage | AppearedMessage | VelocityMessage | DestroyedMessage | HiddenMessage
 *   | AckMessage | PongMessage | JoinedMessage | LeftMessage | ErrorMessage} ServerMessage
 */

/** @typedef {ClientMessage | ServerMessage} Message */
/** @typedef {Message['t']} MessageType */

export {};
