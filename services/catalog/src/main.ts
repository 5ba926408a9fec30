#!/usr/bin/env node
import { runService } from '@credit/platform/run';
import { loadCatalogConfig, startCatalogService } from './service.js';

await runService({ name: 'catalog', loadConfig: () => loadCatalogConfig(), start: startCatalogService });
