export { openChat, type Chat, type ChatEvent, type ChatOptions, type ChatOutcome } from './chat.js';
export type { ConnectFailure } from './failure.js';
export type { StatusNotice } from './notice.js';
