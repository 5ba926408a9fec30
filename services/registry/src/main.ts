#!/usr/bin/env node
import { runService } from '@credit/platform/run';
import { loadRegistryConfig, startRegistryService } from './service.js';

await runService({ name: 'registry', loadConfig: () => loadRegistryConfig(), start: startRegistryService });
