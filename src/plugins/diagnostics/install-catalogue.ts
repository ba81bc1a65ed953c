import catalogueJson from './install-catalogue.json';

/** What a plugin requirement is: an executable on `PATH`, a Python distribution, or a Debian package. */
export type RequirementKind = 'binary' | 'python_package' | 'system_package';

/** The ways to install something, in the order a person would usually try them. */
export const INSTALL_METHODS = ['apt', 'brew', 'pip', 'go', 'docker', 'docs'] as const;

/** One way to install something: a package manager, a container image, or the project's own page. */
export type InstallMethod = (typeof INSTALL_METHODS)[number];

/**
 * The ways that apply to one item, each a ready-to-run command line (`docs` is a URL, or a sentence for an item
 * the catalogue does not know). At least one key is always present.
 */
export type InstallHints = Readonly<Partial<Record<InstallMethod, string>>>;

/** How the Debian package names in the catalogue were verified, so a reader knows which release they fit. */
export interface AptCheck {
  release: string;
  components: string[];
  method: string;
  date: string;
}

/** The catalogue after validation: one table per requirement kind, keyed by the name a manifest uses. */
export interface InstallCatalogue {
  aptChecked: AptCheck;
  entries: Readonly<Record<RequirementKind, ReadonlyMap<string, InstallHints>>>;
}

const SECTIONS: Readonly<Record<RequirementKind, string>> = {
  binary: 'binaries',
  python_package: 'python_packages',
  system_package: 'system_packages',
};

// Each command must start the way its method does, so a line filed under the wrong key (or a `curl | sh` recipe)
// is caught when the catalogue is loaded rather than shown to a user.
const PREFIXES: Readonly<Record<InstallMethod, readonly string[]>> = {
  apt: ['sudo apt-get install -y '],
  brew: ['brew install '],
  pip: ['python3 -m pip install ', 'pipx install '],
  go: ['go install '],
  docker: ['docker pull '],
  docs: ['https://'],
};

// Letters, digits and the punctuation package names, module paths, image references and URLs need. Nothing a
// shell treats specially (`;`, `|`, `&`, `$`, backticks, quotes, redirections, globs), so a line pasted into a
// terminal runs exactly the one command it shows.
const SAFE_LINE = /^[A-Za-z0-9 ._\-/:@+=~]+$/;

/**
 * The one second step a line may have: Debian installs some tools under another name than upstream's (testssl.sh
 * as `/usr/bin/testssl`), and a manifest asks for upstream's; the link makes the plugin runnable, as the Dockerfile
 * does. Exactly `<apt line> && sudo ln -s /usr/bin/<x> /usr/local/bin/<name>`, nothing else after `&&`.
 */
const APT_LINK_STEP = / && (sudo ln -s \/(?:usr\/)?s?bin\/[A-Za-z0-9._+-]+ \/usr\/local\/bin\/[A-Za-z0-9._+-]+)$/;

/** A line's commands: one, or an apt line and its {@link APT_LINK_STEP}. */
export function commandsOf(method: InstallMethod, line: string): string[] {
  const link = method === 'apt' ? APT_LINK_STEP.exec(line) : null;
  return link ? [line.slice(0, link.index), link[1]] : [line];
}

// A name safe to put into a generic command line: what Debian, PyPI and executables actually use.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

// A distribution name, optionally followed by extras and version specifiers: `sslyze`, `sslyze>=6.0`, `a[b]==1`.
const PYTHON_REQUIREMENT =
  /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[A-Za-z0-9._,\s-]*\])?\s*(?:[<>=!~][<>=!~0-9A-Za-z.*,\s]*)?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Python distribution names compare case-insensitively with runs of `-`, `_` and `.` equal (PEP 503); a
 * requirement may carry a version or extras (`sslyze>=6.0`), which do not change which distribution it is.
 */
function pythonKey(name: string): string {
  const bare = PYTHON_REQUIREMENT.exec(name)?.[1] ?? name;
  return bare.toLowerCase().replace(/[-_.]+/g, '-');
}

function lookupKey(kind: RequirementKind, name: string): string {
  if (kind === 'python_package') return pythonKey(name);
  // Debian package names are lower case; executables are looked up exactly as named (theHarvester).
  return kind === 'system_package' ? name.toLowerCase() : name;
}

function parseHints(value: unknown, where: string): InstallHints {
  if (!isRecord(value)) throw new Error(`${where}: must be an object of install lines`);
  const hints: Partial<Record<InstallMethod, string>> = {};
  for (const [method, line] of Object.entries(value)) {
    if (!(INSTALL_METHODS as readonly string[]).includes(method)) {
      throw new Error(`${where}: unknown install method "${method}" (expected ${INSTALL_METHODS.join(', ')})`);
    }
    const key = method as InstallMethod;
    if (typeof line !== 'string' || !commandsOf(key, line).every((command) => SAFE_LINE.test(command))) {
      throw new Error(`${where}.${key}: must be one command line without shell metacharacters`);
    }
    const prefix = PREFIXES[key].find((start) => line.startsWith(start));
    if (!prefix || line.length === prefix.length) {
      throw new Error(`${where}.${key}: must start with ${PREFIXES[key].map((start) => `"${start}"`).join(' or ')}`);
    }
    hints[key] = line;
  }
  if (Object.keys(hints).length === 0) throw new Error(`${where}: needs at least one install line`);
  return Object.freeze(hints);
}

/**
 * Validates the catalogue's JSON shape and every line in it. Throws one message naming the first bad entry: the
 * file ships with the service, so a bad line is a bug to stop at start-up, not a hint to show a user.
 */
export function parseCatalogue(value: unknown): InstallCatalogue {
  if (!isRecord(value)) throw new Error('install catalogue: must be a JSON object');
  const check = value.apt_checked;
  if (
    !isRecord(check) ||
    typeof check.release !== 'string' ||
    !isStringArray(check.components) ||
    typeof check.method !== 'string' ||
    typeof check.date !== 'string'
  ) {
    throw new Error('install catalogue: "apt_checked" must hold release, components, method and date');
  }
  const entries = {} as Record<RequirementKind, ReadonlyMap<string, InstallHints>>;
  for (const [kind, section] of Object.entries(SECTIONS) as [RequirementKind, string][]) {
    const table = value[section];
    if (!isRecord(table)) throw new Error(`install catalogue: "${section}" must be an object`);
    const map = new Map<string, InstallHints>();
    for (const [name, hints] of Object.entries(table)) {
      if (!SAFE_NAME.test(name)) throw new Error(`install catalogue: ${section}: "${name}" is not a valid name`);
      const key = lookupKey(kind, name);
      if (map.has(key)) throw new Error(`install catalogue: ${section}: "${name}" is listed twice`);
      map.set(key, parseHints(hints, `install catalogue: ${section}.${name}`));
    }
    entries[kind] = map;
  }
  const { release, components, method, date } = check;
  return { aptChecked: { release, components: [...components], method, date }, entries };
}

const CATALOGUE = parseCatalogue(catalogueJson);

/** How the catalogue's Debian package names were checked (release, components, tool, date). */
export const APT_CHECKED: Readonly<AptCheck> = CATALOGUE.aptChecked;

/** The catalogue's own lines for `name`, or `undefined` when it has no entry (see {@link installHints}). */
export function catalogueEntry(kind: RequirementKind, name: string): InstallHints | undefined {
  return CATALOGUE.entries[kind].get(lookupKey(kind, name));
}

/** Every name the catalogue lists for `kind`, as written in the file (Python names normalised). */
export function catalogueNames(kind: RequirementKind): string[] {
  return [...CATALOGUE.entries[kind].keys()];
}

/**
 * How to install a missing requirement: the catalogue's lines when it knows the item, else one generic line
 * (`install "<name>" and make sure it is on PATH`, `python3 -m pip install <name>`, `sudo apt-get install -y
 * <name>`). A name that is not a plausible package name (it comes from a manifest anyone may write) never goes
 * into a command: it only appears quoted, control characters escaped, in a `docs` sentence.
 */
export function installHints(kind: RequirementKind, name: string): InstallHints {
  const known = catalogueEntry(kind, name);
  if (known) return known;
  const quoted = JSON.stringify(name);
  switch (kind) {
    case 'binary':
      return { docs: `install ${quoted} and make sure it is on PATH` };
    case 'python_package':
      return SAFE_NAME.test(name)
        ? { pip: `python3 -m pip install ${name}` }
        : { docs: `install the Python distribution ${quoted} for the python3 on PATH` };
    case 'system_package':
      return SAFE_NAME.test(name)
        ? { apt: `sudo apt-get install -y ${name}` }
        : { docs: `install the system package ${quoted}` };
  }
}
