import { uuidv7 } from 'uuidv7';

/** Sortable by creation time and unguessable (74 random bits): safe to show in URLs. */
export const newId = (): string => uuidv7();
