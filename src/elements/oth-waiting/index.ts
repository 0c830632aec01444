export { OthWaiting, type OthWaitingClient } from './oth-waiting.js';
