#!/usr/bin/env node
import { runService } from '@credit/platform/run';
import { loadDisclosuresConfig, startDisclosuresService } from './service.js';

await runService({ name: 'disclosures', loadConfig: () => loadDisclosuresConfig(), start: startDisclosuresService });
