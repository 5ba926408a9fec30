// JSON lines on stdout, one per event worth knowing about: what a log shipper expects, no dependency needed.
export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export const jsonLog: Log = (level, msg, fields = {}) => {
  const err = fields.err instanceof Error ? { err: { message: fields.err.message, name: fields.err.name } } : {};
  console.log(JSON.stringify({ time: new Date().toISOString(), level, service: 'procurement', msg, ...fields, ...err }));
};
