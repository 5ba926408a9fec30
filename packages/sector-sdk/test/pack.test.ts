// SLOW (~30 s, needs the npm registry): the SDK as an outside sector project gets it. Builds the package, packs it
// with `npm pack`, installs the tarball into a fresh "type":"module" project in the OS temp directory, and runs a
// script there that imports it, connects to real NATS and a lists endpoint, receives one event and reports feedback.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testToken } from '@credit/platform/testing';
import { type Platform, type StandInLists, startPlatform, startStandInLists } from './harness.js';

const run = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

let platform: Platform;
let lists: StandInLists;
let work: string;

beforeAll(async () => {
  platform = await startPlatform();
  lists = await startStandInLists();
  work = await mkdtemp(join(tmpdir(), 'sector-sdk-pack-'));
});

afterAll(async () => {
  await lists?.close();
  await platform?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const SCRIPT = `
import { connectSector, MemoryProcessedEvents, once, SectorError } from '@credit/sector-sdk';
const sector = await connectSector({
  department: 'finance',
  nats: { servers: process.env.NATS_URL },
  lists: { address: process.env.LISTS_ADDRESS, token: process.env.TOKEN },
  subjectPrefix: process.env.PREFIX,
});
const store = new MemoryProcessedEvents();
const received = new Promise((resolve) => {
  void sector.subscribe({
    handler: async (event) => {
      await once(store, event.id, async () => undefined);
      const feedback = await sector.reportFeedback({ entryId: event.entry.id, measureCode: 'restrict_government_procurement', phase: 'impose', outcome: 'applied', reference: 'PKG-1' });
      resolve({ type: event.type, entryId: event.entry.id, feedback: feedback.outcome });
    },
  });
});
const result = await received;
await sector.close();
console.log(JSON.stringify({ ...result, sectorError: typeof SectorError }));
`;

describe('the packed SDK in a project of its own (slow: npm pack + npm install)', () => {
  it('installs from its tarball with only its declared dependencies, imports, receives an event and reports feedback', { timeout: 180_000 }, async () => {
    // Compile only: `npm run build` would also regenerate src/gen, under the feet of test files running beside this one.
    await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PACKAGE_DIR });
    await run('npm', ['pack', '--pack-destination', work], { cwd: PACKAGE_DIR });
    const tarball = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const project = join(work, 'procurement');
    await run('mkdir', ['-p', project]);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'procurement', private: true, type: 'module' }));
    await run('npm', ['install', '--no-audit', '--no-fund', join(work, tarball!)], { cwd: project });
    // Nothing of the monorepo came along: the SDK stands on grpc-js, protobuf and nats alone.
    const installed = await readdir(join(project, 'node_modules', '@credit'));
    expect(installed).toEqual(['sector-sdk']);

    lists.subscriptions.push(await platform.provision('court_judgment_debtor'));
    await platform.publishEffective({ id: 'e-packed' });
    await writeFile(join(project, 'main.js'), SCRIPT);
    const { stdout } = await run(process.execPath, ['main.js'], {
      cwd: project,
      timeout: 60_000,
      env: {
        ...process.env,
        NATS_URL: platform.natsUrl,
        LISTS_ADDRESS: lists.address,
        TOKEN: testToken({ department: 'finance', role: 'sector', subject: 'procurement-system' }),
        PREFIX: platform.prefix,
      },
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ type: 'entry_effective', entryId: 'e-packed', feedback: 'applied', sectorError: 'function' });
    expect(lists.recorded.feedback.map((f) => f.request.reference)).toEqual(['PKG-1']);
  });
});
