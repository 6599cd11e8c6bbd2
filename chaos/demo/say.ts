/** Prints one human-readable line of the demo (the actors' only output). */
export type Say = (line: string) => void;
