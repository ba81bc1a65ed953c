/** Types of `node-floor.cjs` (plain JavaScript, see there) for the TypeScript that imports it. */
export declare function nodeFloorProblem(running: string, range: string): string | undefined;
