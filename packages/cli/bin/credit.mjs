#!/usr/bin/env node
// A committed entry so npm links `credit` at install time, before the first build has made dist/.
await import('../dist/main.js');
