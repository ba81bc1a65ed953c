import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APT_CHECKED,
  INSTALL_METHODS,
  InstallHints,
  RequirementKind,
  catalogueEntry,
  catalogueNames,
  commandsOf,
  InstallMethod,
  installHints,
  parseCatalogue,
} from './install-catalogue';

const CATALOGUE_FILE = join(__dirname, 'install-catalogue.json');
const SHIPPED = join(__dirname, '..', '..', '..', 'plugins');

// The tools SecuScan's plugins run; each must have its own entry, not just the generic line.
const SECUSCAN_TOOLS = [
  'amass',
  'bandit',
  'curl',
  'dig',
  'dnsrecon',
  'dnsx',
  'docker',
  'droopescan',
  'ffuf',
  'ghauri',
  'gitleaks',
  'gobuster',
  'hashcat',
  'httpx',
  'joomscan',
  'katana',
  'masscan',
  'msfconsole',
  'nikto',
  'nmap',
  'nuclei',
  'openssl',
  'ping',
  'python3',
  'semgrep',
  'sqlmap',
  'ssh',
  'sslyze',
  'subfinder',
  'testssl.sh',
  'theHarvester',
  'trivy',
  'uncover',
  'urlfinder',
  'volatility3',
  'wafw00f',
  'whois',
  'wpscan',
  'yara',
  'zap-baseline',
  'zap-baseline.py',
];

interface ShippedRequirements {
  binary: Set<string>;
  python_package: Set<string>;
  system_package: Set<string>;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Every requirement named by the manifests in the repository's plugins/ folder, read from disk. */
function shippedRequirements(): ShippedRequirements {
  const found: ShippedRequirements = { binary: new Set(), python_package: new Set(), system_package: new Set() };
  const folders = readdirSync(SHIPPED, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  for (const folder of folders) {
    const manifest = JSON.parse(readFileSync(join(SHIPPED, folder.name, 'metadata.json'), 'utf8')) as {
      engine?: { binary?: unknown };
      dependencies?: Record<string, unknown>;
    };
    if (typeof manifest.engine?.binary === 'string') found.binary.add(manifest.engine.binary);
    stringList(manifest.dependencies?.binaries).forEach((name) => found.binary.add(name));
    stringList(manifest.dependencies?.python_packages).forEach((name) => found.python_package.add(name));
    stringList(manifest.dependencies?.system_packages).forEach((name) => found.system_package.add(name));
  }
  return found;
}

function allEntries(): { kind: RequirementKind; name: string; hints: InstallHints }[] {
  const kinds: RequirementKind[] = ['binary', 'python_package', 'system_package'];
  return kinds.flatMap((kind) =>
    catalogueNames(kind).map((name) => ({ kind, name, hints: catalogueEntry(kind, name) as InstallHints })),
  );
}

function catalogueJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(CATALOGUE_FILE, 'utf8')) as Record<string, unknown>;
}

describe('install catalogue', () => {
  it('has a valid shape and says which Debian release its apt names were checked against', () => {
    expect(() => parseCatalogue(catalogueJson())).not.toThrow();
    expect(APT_CHECKED.release).toMatch(/bookworm/);
    expect(APT_CHECKED.components).toContain('main');
    expect(APT_CHECKED.method).toBe('apt-cache show');
  });

  it('has an entry for every binary, python package and system package a shipped manifest names', () => {
    const shipped = shippedRequirements();
    // A shipped folder that names nothing would make the checks below pass vacuously.
    expect(shipped.binary.size).toBeGreaterThanOrEqual(10);
    expect(shipped.python_package.size).toBeGreaterThanOrEqual(3);
    expect(shipped.system_package.size).toBeGreaterThanOrEqual(3);
    for (const kind of Object.keys(shipped) as RequirementKind[]) {
      const uncovered = [...shipped[kind]].filter((name) => catalogueEntry(kind, name) === undefined);
      expect({ kind, uncovered }).toEqual({ kind, uncovered: [] });
    }
  });

  it.each(SECUSCAN_TOOLS)('has its own entry for %s', (tool) => {
    const hints = catalogueEntry('binary', tool);
    expect(hints).toBeDefined();
    expect(Object.keys(hints ?? {}).length).toBeGreaterThan(0);
  });

  it('covers the Python distributions and Debian packages SecuScan manifests use', () => {
    for (const name of ['python-nmap', 'python-whois', 'scapy', 'cryptography', 'bandit', 'semgrep', 'sslyze']) {
      expect(catalogueEntry('python_package', name)?.pip).toBe(`python3 -m pip install ${name}`);
    }
    for (const name of ['perl', 'libpcap-dev', 'openssh-client', 'ruby', 'rubygems', 'dnsrecon']) {
      expect(catalogueEntry('system_package', name)?.apt).toMatch(/^sudo apt-get install -y [a-z0-9.+-]+$/);
    }
  });

  it('writes every line as one plain command (or an https URL for docs), with no shell metacharacters', () => {
    const entries = allEntries();
    expect(entries.length).toBeGreaterThan(60);
    for (const { kind, name, hints } of entries) {
      for (const [method, line] of Object.entries(hints)) {
        const where = `${kind} ${name} ${method}`;
        // An apt line may add one link (`&& sudo ln -s /usr/bin/x /usr/local/bin/y`); each command is held to this.
        for (const command of commandsOf(method as InstallMethod, line)) {
          expect({ where, command }).toEqual({
            where,
            command: expect.not.stringMatching(/[;|&`$<>(){}'"\\*?!#\n\r\t]/),
          });
        }
        expect(INSTALL_METHODS).toContain(method);
        const shape =
          method === 'docs' ? expect.stringMatching(/^https:\/\/\S+$/) : expect.not.stringMatching(/https?:/);
        expect({ where, line }).toEqual({ where, line: shape });
      }
    }
  });

  it('makes the plugin runnable with each apt line of a binary: the package ships it, or the line links it', () => {
    // Verified once against Debian's packages (see the file's "method"); a new apt line needs its row there.
    const verified = JSON.parse(readFileSync(join(__dirname, 'apt-binaries.verified.json'), 'utf8')) as {
      release: string;
      packages: Record<string, { paths: string[] }>;
    };
    expect(verified.release).toBe(APT_CHECKED.release);
    const lines = catalogueNames('binary').flatMap((name) => {
      const apt = catalogueEntry('binary', name)?.apt;
      return apt ? [{ name, apt }] : [];
    });
    expect(lines.length).toBeGreaterThanOrEqual(20);
    for (const { name, apt } of lines) {
      const [install, link] = commandsOf('apt', apt);
      const packageName = install.replace('sudo apt-get install -y ', '');
      const shipped = verified.packages[packageName]?.paths ?? [];
      // On PATH after the line ran: what the package put in a bin folder, and the link's name if it made one.
      const onPath = shipped.map((path) => path.split('/').pop());
      if (link) {
        const [, , , target, linkPath] = link.split(' ');
        expect({ name, linkTarget: shipped.includes(target) }).toEqual({ name, linkTarget: true });
        onPath.push(linkPath.split('/').pop());
      }
      expect({ name, packageName, onPath }).toEqual({ name, packageName, onPath: expect.arrayContaining([name]) });
    }
  });

  it('gives the documented examples exactly', () => {
    expect(installHints('binary', 'nmap')).toEqual({
      apt: 'sudo apt-get install -y nmap',
      brew: 'brew install nmap',
      docs: 'https://nmap.org/download',
    });
    expect(installHints('binary', 'dig').apt).toBe('sudo apt-get install -y bind9-dnsutils');
    expect(installHints('binary', 'ping').apt).toBe('sudo apt-get install -y iputils-ping');
    expect(installHints('binary', 'ssh').apt).toBe('sudo apt-get install -y openssh-client');
    const nuclei = 'go install -v github.com/projectdiscovery/nuclei/v3/cmd/nuclei@latest';
    expect(installHints('binary', 'nuclei').go).toBe(nuclei);
    expect(installHints('binary', 'zap-baseline.py').docker).toBe('docker pull ghcr.io/zaproxy/zaproxy:stable');
  });

  it('gives a generic line for an item it does not know', () => {
    const docs = 'install "acme-scanner" and make sure it is on PATH';
    expect(installHints('binary', 'acme-scanner')).toEqual({ docs });
    expect(installHints('python_package', 'acme-lib')).toEqual({ pip: 'python3 -m pip install acme-lib' });
    expect(installHints('system_package', 'libacme-dev')).toEqual({ apt: 'sudo apt-get install -y libacme-dev' });
  });

  it('never puts a hostile name from a manifest into a command line', () => {
    const hostile = 'x; rm -rf ~ #\u001b[2J';
    for (const kind of ['binary', 'python_package', 'system_package'] as const) {
      const hints = installHints(kind, hostile);
      expect(Object.keys(hints)).toEqual(['docs']);
      // Quoted as JSON, so the escape sequence arrives as text instead of clearing someone's terminal.
      expect(hints.docs).toContain('"x; rm -rf ~ #\\u001b[2J"');
      expect(hints.docs).not.toContain('\u001b');
    }
  });

  it('finds Python distributions however the manifest spells them', () => {
    const expected = catalogueEntry('python_package', 'python-nmap');
    expect(expected).toBeDefined();
    expect(catalogueEntry('python_package', 'Python_Nmap')).toBe(expected);
    expect(catalogueEntry('python_package', 'python.nmap')).toBe(expected);
    expect(catalogueEntry('python_package', 'python-nmap>=0.7')).toBe(expected);
    expect(catalogueEntry('python_package', 'python-nmap; rm -rf ~')).toBeUndefined();
  });

  it('looks binaries up exactly as named, and Debian packages in lower case', () => {
    expect(catalogueEntry('binary', 'theHarvester')).toBeDefined();
    expect(catalogueEntry('binary', 'NMAP')).toBeUndefined();
    expect(catalogueEntry('system_package', 'LibPcap-Dev')).toBe(catalogueEntry('system_package', 'libpcap-dev'));
  });

  it('returns entries callers cannot change', () => {
    const hints = installHints('binary', 'nmap') as Record<string, string>;
    expect(() => {
      hints.apt = 'curl https://example.com/x.sh | sh';
    }).toThrow(TypeError);
    expect(installHints('binary', 'nmap').apt).toBe('sudo apt-get install -y nmap');
  });

  describe('parseCatalogue rejects a broken file', () => {
    const valid = (): Record<string, unknown> => catalogueJson();
    const withBinary = (hints: unknown): Record<string, unknown> => ({
      ...valid(),
      binaries: { ...(valid().binaries as object), 'new-tool': hints },
    });

    it.each([
      ['a line with a pipe', { docs: 'https://example.com', apt: 'curl -fsSL https://x.sh | sh' }, /new-tool\.apt/],
      ['a line with a semicolon', { apt: 'sudo apt-get install -y a; sudo rm -rf /' }, /new-tool\.apt/],
      ['a second step other than a link', { apt: 'sudo apt-get install -y a && sudo rm -rf /' }, /new-tool\.apt/],
      [
        'a link outside /usr/local/bin',
        { apt: 'sudo apt-get install -y a && sudo ln -s /usr/bin/a /bin/b' },
        /new-tool\.apt/,
      ],
      [
        'a link step on another method',
        { brew: 'brew install a && sudo ln -s /usr/bin/a /usr/local/bin/b' },
        /new-tool\.brew/,
      ],
      ['a line with command substitution', { pip: 'pipx install $(whoami)' }, /new-tool\.pip/],
      [
        'a line under the wrong method',
        { brew: 'sudo apt-get install -y new-tool' },
        /must start with "brew install "/,
      ],
      ['a prefix with nothing after it', { go: 'go install ' }, /new-tool\.go/],
      ['a docs line that is not https', { docs: 'http://example.com' }, /new-tool\.docs/],
      ['an unknown method', { snap: 'sudo snap install new-tool' }, /unknown install method "snap"/],
      ['an entry without lines', {}, /needs at least one install line/],
      ['an entry that is not an object', 'brew install new-tool', /must be an object/],
    ])('%s', (_case, hints, message) => {
      expect(() => parseCatalogue(withBinary(hints))).toThrow(message);
    });

    it('a missing record of how apt names were checked', () => {
      const { apt_checked: _dropped, ...rest } = valid();
      expect(() => parseCatalogue(rest)).toThrow(/apt_checked/);
    });

    it('a missing section', () => {
      const { system_packages: _dropped, ...rest } = valid();
      expect(() => parseCatalogue(rest)).toThrow(/"system_packages" must be an object/);
    });

    it('a name a command could not hold', () => {
      expect(() => parseCatalogue({ ...valid(), binaries: { 'bin/nmap': { docs: 'https://nmap.org' } } })).toThrow(
        /"bin\/nmap" is not a valid name/,
      );
    });

    it('two spellings of one Python distribution', () => {
      const line = { pip: 'python3 -m pip install python-nmap' };
      const python = { python_nmap: line, 'python-nmap': line };
      expect(() => parseCatalogue({ ...valid(), python_packages: python })).toThrow(/listed twice/);
    });
  });
});
