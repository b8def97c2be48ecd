export type CloseAction = 'closed' | 'retry' | 'new-token';
/**
 * A sentence for a close code, for players.
 * @param {number} code
 * @param {string} [reason] the close frame's reason, shown for codes this table does not know
 * @returns {string}
 */
export declare function describeClose(code: number, reason?: string): string;
/**
 * What to do after a close.
 * @param {number} code
 * @param {boolean} byUs whether this client asked for the close
 * @returns {CloseAction}
 */
export declare function closeAction(code: number, byUs: boolean): CloseAction;
/**
 * A sentence for an `error` message's code, for players.
 * @param {string} code
 * @param {string} [msg] the server's own text, shown for codes this table does not know
 * @returns {string}
 */
export declare function describeError(code: string, msg?: string): string;
