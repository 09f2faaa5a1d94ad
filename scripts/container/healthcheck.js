#!/usr/bin/env node
'use strict';
// The image's HEALTHCHECK (Dockerfile). Healthy (exit 0) while the daemon's status server answers a HEAD
// request at LDIRECTORD_HEALTH_URL (default http://127.0.0.1:9186/metrics, statusaddress='s default) within
// 5 s with any status below 500: a 401 from a server with statususers is an answer too, the daemon's event
// loop is running. Unhealthy (exit 1) otherwise, with the reason on stderr (the engine keeps it in the
// container's health log). A certificate is not verified: nothing is sent, only liveness is asked.
const http = require('node:http');
const https = require('node:https');

const TIMEOUT_MS = 5000;
const url = new URL(process.env.LDIRECTORD_HEALTH_URL || 'http://127.0.0.1:9186/metrics');
const client = url.protocol === 'https:' ? https : http;

const req = client.request(url, { method: 'HEAD', timeout: TIMEOUT_MS, rejectUnauthorized: false }, (res) => {
  res.resume();
  const ok = res.statusCode !== undefined && res.statusCode < 500;
  (ok ? process.stdout : process.stderr).write(`${url.href}: HTTP ${res.statusCode}\n`);
  process.exitCode = ok ? 0 : 1;
});
req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
req.on('error', (e) => {
  process.stderr.write(`${url.href}: ${e.message}\n`);
  process.exitCode = 1;
});
req.end();
