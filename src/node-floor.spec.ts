import { engines } from '../package.json';
import { nodeFloorProblem } from './node-floor.cjs';

describe('nodeFloorProblem', () => {
  const tooOld = (running: string) =>
    `secuscan-health: Node.js ${running} is too old; it needs Node.js >=24.11 (see the README's quick start)`;

  it('lets the floor and every newer Node through, comparing numbers, not text', () => {
    for (const running of ['24.11.0', '24.11.1', '24.12.0', '25.0.0', '100.0.0', '24.100.0']) {
      expect(nodeFloorProblem(running, '>=24.11')).toBeUndefined();
    }
  });

  it('names the running and the required version in one line below the floor', () => {
    for (const running of ['24.10.9', '24.9.0', '22.12.0', '20.20.2', '3.0.0']) {
      expect(nodeFloorProblem(running, '>=24.11')).toBe(tooOld(running));
    }
  });

  it('reads a major-only and a full floor', () => {
    expect(nodeFloorProblem('23.99.99', '>=24')).toMatch(/Node\.js 23\.99\.99 is too old; it needs Node\.js >=24 /);
    expect(nodeFloorProblem('24.0.0', '>=24')).toBeUndefined();
    expect(nodeFloorProblem('24.11.2', '>=24.11.3')).toMatch(/it needs Node\.js >=24\.11\.3 /);
    expect(nodeFloorProblem('24.11.3', '>=24.11.3')).toBeUndefined();
  });

  it('refuses a range it cannot judge instead of letting every Node through', () => {
    for (const range of ['^24.11', '24', '>=24 <26', '*']) {
      expect(() => nodeFloorProblem('24.11.0', range)).toThrow(`not "${range}"`);
    }
  });

  it('judges the range package.json declares, and this Node passes it', () => {
    expect(engines.node).toMatch(/^>=\d+(\.\d+){0,2}$/);
    expect(nodeFloorProblem(process.versions.node, engines.node)).toBeUndefined();
  });
});
