export { type TimerBase, type TimerName, DEFAULT_TIMER_BASE, TIMER_MEANING, timerValue, nextInterval } from "./timers.js";
export { type ResponseLike, type TransactionAction, type MachineEnv, TimerSet } from "./machine.js";
export { type ClientInviteState, ClientInviteTransaction } from "./client-invite.js";
export { type ClientNonInviteState, ClientNonInviteTransaction } from "./client-non-invite.js";
export { type ServerInviteState, ServerInviteTransaction, DEFAULT_TRYING_DELAY_MS } from "./server-invite.js";
export { type ServerNonInviteState, ServerNonInviteTransaction } from "./server-non-invite.js";
export { clientKey, serverKey } from "./keys.js";
export { ackForNon2xx } from "./ack.js";
export {
  type ClientCallbacks,
  type TransactionLayerOptions,
  ClientTransaction,
  ServerTransaction,
  TransactionLayer,
} from "./transaction-layer.js";
