import { readRepoFile } from './repository';

/** The repository's Dockerfile, parsed into instructions by stage, and the parts of it the tests look at. */

/** One instruction of a Dockerfile. */
export interface Instruction {
  /** Index of its stage: 0 for the first FROM and what follows it. */
  stage: number;
  /** The keyword, upper case (`RUN`, `COPY`, ...). */
  keyword: string;
  args: string;
}

/** Instructions of a Dockerfile (continuations joined, comments dropped), each tagged with its stage index. */
export function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  let stage = -1;
  return logical.map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    if (keyword.toUpperCase() === 'FROM') stage += 1;
    return { stage, keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

/** Every instruction of the repository's Dockerfile. */
export const dockerfile = parseDockerfile(readRepoFile('Dockerfile'));
/** Its FROM instructions, one a stage. */
export const stages = dockerfile.filter((i) => i.keyword === 'FROM');
/** The index of the runtime stage, the one the image is made of. */
export const lastStage = stages.length - 1;

/** The instructions `keyword` of stage `stage`, in order. */
export const inStage = (stage: number, keyword: string): Instruction[] =>
  dockerfile.filter((i) => i.stage === stage && i.keyword === keyword);

/** The name a FROM gives its stage (`AS name`), if any. */
export const stageName = (from: Instruction): string | undefined => /\s+AS\s+(\S+)$/i.exec(from.args)?.[1];

/** The JSON-array (exec) form of CMD/HEALTHCHECK CMD, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The runtime stage's HEALTHCHECK: its `--name=value` options and its command (exec form only). */
export const healthcheckInstruction = (): { options: Record<string, string>; cmd: string[] | undefined } => {
  const [instruction] = inStage(lastStage, 'HEALTHCHECK');
  if (!instruction) throw new Error('the runtime stage has no HEALTHCHECK');
  const match = /^((?:--[a-z-]+=\S+\s+)*)CMD\s+(.*)$/i.exec(instruction.args);
  if (!match) throw new Error(`cannot read HEALTHCHECK ${instruction.args}`);
  const options = Object.fromEntries([...match[1].matchAll(/--([a-z-]+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  return { options, cmd: execForm(match[2]) };
};

/** The final stage's WORKDIR (absolute), against which relative paths in CMD and HEALTHCHECK resolve. */
export const runtimeWorkdir = (): string => inStage(lastStage, 'WORKDIR').at(-1)?.args ?? '/';
