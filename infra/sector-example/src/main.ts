// The procurement system (政府采购, department finance). Env: NATS_URL, NATS_SUBJECT_PREFIX, NATS_USER/NATS_PASS,
// LISTS_ADDRESS, PROCUREMENT_TOKEN, PROCUREMENT_DATABASE_URL, PROCUREMENT_HTTP_PORT (default 8090).
import { startProcurement } from './app.js';
import { loadConfig } from './config.js';
import { jsonLog } from './log.js';

try {
  const app = await startProcurement(loadConfig(), jsonLog);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    jsonLog('info', 'stopping', { signal });
    app.stop().then(
      () => {
        jsonLog('info', 'stopped');
        process.exit(0);
      },
      (err: unknown) => {
        jsonLog('error', 'stop failed', { err });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (err) {
  jsonLog('error', 'start failed', { err });
  process.exit(1);
}
