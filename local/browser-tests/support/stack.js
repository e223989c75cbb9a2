// Starts the one-command local stack (local/stack/target/local-stack.jar) on free ports with a throw-away data
// directory, waits for its "Boxoffice is ready" banner and reads the URLs it prints.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const READY_TIMEOUT_MS = Number(process.env.BOXOFFICE_STACK_READY_TIMEOUT_MS ?? 180_000);

/** The repository root: the nearest directory above this file holding the root pom.xml with <modules>. */
export function repositoryRoot() {
  if (process.env.BOXOFFICE_REPO_ROOT) return resolve(process.env.BOXOFFICE_REPO_ROOT);
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dir !== dirname(dir)) {
    const pom = join(dir, 'pom.xml');
    if (existsSync(pom) && readFileSync(pom, 'utf8').includes('<modules>')) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the repository root (a pom.xml with <modules>) above the browser tests');
}

function javaSources(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return javaSources(path);
    return name.endsWith('.java') ? [path] : [];
  });
}

/**
 * Every BOXOFFICE_*PORT variable the stack and the backend read, found in their sources so that ports the lead adds
 * to LocalStack get a free port here without a change to this file.
 */
export function portVariables(root) {
  const names = new Set(['BOXOFFICE_HTTP_PORT']);
  const sources = [join(root, 'local/stack/src/main/java'), join(root, 'verticles/src/main/java/dev/boxoffice/backend/config')];
  for (const file of sources.flatMap(javaSources)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/"(BOXOFFICE_[A-Z0-9_]*PORT)"/g)) names.add(match[1]);
  }
  return [...names].sort();
}

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function javaExecutable() {
  const home = process.env.JAVA_HOME;
  return home && existsSync(join(home, 'bin', 'java')) ? join(home, 'bin', 'java') : 'java';
}

/** The "  Name   URL" lines of the banner, as a map from name to the first word after it. */
export function bannerUrls(banner) {
  const urls = {};
  for (const line of banner.split('\n')) {
    const match = /^ {2}(\S(?:.*?\S)?) {2,}(\S+)/.exec(line);
    if (match) urls[match[1]] = match[2];
  }
  return urls;
}

/** Starts the stack; `args` are those of `./boxoffice up` (e.g. ['--backends', '2']). */
export async function startStack({ environment = {}, args = [] } = {}) {
  const root = repositoryRoot();
  const jar = join(root, 'local/stack/target/local-stack.jar');
  if (!existsSync(jar)) throw new Error(`${jar} is missing: build it first (./boxoffice build)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'boxoffice-browser-tests-'));
  const ports = {};
  for (const name of portVariables(root)) ports[name] = String(await freePort());
  const child = spawn(javaExecutable(), ['-XX:+UseParallelGC', '-jar', jar, ...args], {
    cwd: root,
    env: { ...process.env, BOXOFFICE_DATA_DIR: dataDir, BOXOFFICE_LOG_FORMAT: 'text', ...ports, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolveExit) => child.on('exit', (code, signal) => resolveExit({ code, signal })));

  let failed = false;
  const banner = await new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack was not ready within ${READY_TIMEOUT_MS} ms:\n${output.slice(-4000)}`)),
      READY_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      const start = output.search(/^Boxoffice is ready/m);
      if (start >= 0 && /Press Ctrl-C/.test(output.slice(start))) {
        clearTimeout(timer);
        resolveReady(output.slice(start));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      // A failed start can leave non-daemon threads running, so the process would never exit by itself.
      if (!failed && /^Exception in thread "main"|^Boxoffice could not start/m.test(output)) {
        failed = true;
        clearTimeout(timer);
        setTimeout(() => reject(new Error(`the stack failed to start:\n${output.slice(-4000)}`)), 1000);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited (${code ?? signal}) before it was ready:\n${output.slice(-4000)}`));
    });
  }).catch(async (error) => {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });

  let stopping = false;
  exited.then(({ code, signal }) => {
    if (!stopping) console.error(`the stack died while the tests ran (${code ?? signal}):\n${output.slice(-4000)}`);
  });
  const urls = bannerUrls(banner);
  const inboxName = Object.keys(urls).find((name) => /inbox|mail/i.test(name));
  return {
    baseUrl: urls.Frontend.replace(/\/$/, ''),
    inboxUrl: inboxName ? urls[inboxName].replace(/\/$/, '') : null,
    urls,
    banner,
    dataDir,
    output: () => output,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const result = await exited;
      clearTimeout(killer);
      rmSync(dataDir, { recursive: true, force: true });
      return result;
    },
  };
}

/**
 * The backends of a stack started with --backends, as its control endpoint reports them (the one
 * `./boxoffice backends` asks): each target's state and the requests the load balancer sent it.
 */
export async function backendsOf(stack) {
  const control = JSON.parse(readFileSync(join(stack.dataDir, 'stack-control.json'), 'utf8'));
  const response = await fetch(`${control.url}/backends`, {
    headers: { Authorization: `Bearer ${control.token}`, Accept: 'application/json' },
  });
  if (response.status !== 200) throw new Error(`the stack's control endpoint answered ${response.status}`);
  return (await response.json()).targets;
}
