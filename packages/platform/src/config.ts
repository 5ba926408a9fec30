// Typed configuration from the environment. A service reads all of it once at start and fails fast with every
// problem listed together, so an operator fixes a manifest in one go instead of one restart per missing variable.

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface Setting<T> {
  readonly name: string;
  /** Secret values are never echoed in problems. */
  readonly secret: boolean;
  /** Throws ConfigError (with one or more problems) when the variable is missing or invalid. */
  read(env: NodeJS.ProcessEnv): T;
}

function setting<T>(name: string, secret: boolean, fallback: T | undefined, parse: (raw: string) => T): Setting<T> {
  return {
    name,
    secret,
    read(source) {
      const raw = source[name];
      // An empty value counts as unset: manifests often template `NAME: ""` for "not given".
      if (raw === undefined || raw.trim() === '') {
        if (fallback !== undefined) return fallback;
        throw new ConfigError([`${name} is required but not set`]);
      }
      return parse(raw.trim());
    },
  };
}

function problem(name: string, message: string): ConfigError {
  return new ConfigError([`${name} ${message}`]);
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export const env = {
  string(name: string, opts: { default?: string; secret?: boolean } = {}): Setting<string> {
    return setting(name, opts.secret ?? false, opts.default, (raw) => raw);
  },

  int(name: string, opts: { default?: number; min?: number; max?: number } = {}): Setting<number> {
    return setting(name, false, opts.default, (raw) => {
      if (!/^[+-]?\d+$/.test(raw)) throw problem(name, `must be an integer, got "${raw}"`);
      const value = Number(raw);
      if (!Number.isSafeInteger(value)) throw problem(name, `is out of range, got "${raw}"`);
      if (opts.min !== undefined && value < opts.min) throw problem(name, `must be at least ${opts.min}, got ${value}`);
      if (opts.max !== undefined && value > opts.max) throw problem(name, `must be at most ${opts.max}, got ${value}`);
      return value;
    });
  },

  bool(name: string, opts: { default?: boolean } = {}): Setting<boolean> {
    return setting(name, false, opts.default, (raw) => {
      const lower = raw.toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
      throw problem(name, `must be true or false, got "${raw}"`);
    });
  },

  // URLs often carry passwords (DATABASE_URL), so their values are never echoed.
  url(name: string, opts: { default?: string; protocols?: string[] } = {}): Setting<string> {
    return setting(name, true, opts.default, (raw) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw problem(name, 'is not a valid URL');
      }
      const protocol = url.protocol.replace(/:$/, '');
      if (opts.protocols && !opts.protocols.map((p) => p.replace(/:$/, '')).includes(protocol)) {
        throw problem(name, `must use one of ${opts.protocols.join(', ')}, got "${protocol}"`);
      }
      return raw;
    });
  },

  oneOf<T extends string>(name: string, values: readonly T[], opts: { default?: T } = {}): Setting<T> {
    return setting(name, false, opts.default, (raw) => {
      if (!(values as readonly string[]).includes(raw)) {
        throw problem(name, `must be one of ${values.join(', ')}, got "${raw}"`);
      }
      return raw as T;
    });
  },
};

/** Reads every setting; throws one ConfigError listing all problems. */
export function readConfig<T extends Record<string, unknown>>(
  spec: { [K in keyof T]: Setting<T[K]> },
  source: NodeJS.ProcessEnv = process.env,
): T {
  const problems: string[] = [];
  const config: Partial<T> = {};
  for (const key of Object.keys(spec) as Array<keyof T>) {
    try {
      config[key] = spec[key].read(source);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as T;
}
