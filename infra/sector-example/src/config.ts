// Everything comes from the environment; a missing or malformed value stops the start with a message naming it.
export interface ProcurementConfig {
  natsUrl: string;
  natsUser?: string;
  natsPass?: string;
  subjectPrefix: string;
  listsAddress: string;
  token: string;
  databaseUrl: string;
  httpPort: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ProcurementConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) problems.push(`${name} is required`);
    return v ?? '';
  };
  const natsUrl = required('NATS_URL');
  const listsAddress = required('LISTS_ADDRESS');
  const token = required('PROCUREMENT_TOKEN');
  const databaseUrl = required('PROCUREMENT_DATABASE_URL');
  const portText = env.PROCUREMENT_HTTP_PORT?.trim() || '8090';
  const httpPort = Number(portText);
  if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535) problems.push(`PROCUREMENT_HTTP_PORT "${portText}" is not a port number`);
  if (problems.length > 0) throw new Error(`configuration: ${problems.join('; ')}`);
  return {
    natsUrl,
    ...(env.NATS_USER ? { natsUser: env.NATS_USER, natsPass: env.NATS_PASS ?? '' } : {}),
    subjectPrefix: env.NATS_SUBJECT_PREFIX ?? '',
    listsAddress,
    token,
    databaseUrl,
    httpPort,
  };
}
