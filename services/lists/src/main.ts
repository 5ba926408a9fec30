#!/usr/bin/env node
import { runService } from '@credit/platform/run';
import { loadListsConfig, startListsService } from './service.js';

await runService({ name: 'lists', loadConfig: () => loadListsConfig(), start: startListsService });
