export { type WpActorName, wpActors } from './actors.js';
export { type WpMachine, wpMachine } from './machine.js';
export { feedbackReference, reviewReference } from './references.js';
export type * from './types.js';
