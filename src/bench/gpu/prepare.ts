/**
 * `npm run gpu-check:prepare`: assembles .gpu-check/, everything the GPU check needs on a machine
 * with no network and no Node: a compressed Node binary and the C++ runtime it links, the bundled
 * check (the lab's own core and bench code with tfjs), the WASM binaries, Dawn's Node binding
 * (the `webgpu` package) and the Vulkan loader as Debian packages. The large pieces are cached
 * by their source's size and date, so a second prepare only re-bundles the code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runMain } from '../../cli/usageError';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DIR = join(ROOT, '.gpu-check');
const APP = join(DIR, 'app');
/** What the device tool carries in all: the working tree and the carried paths together. */
const CARRY_LIMIT = 64 * 2 ** 20;
/** The README's recipe for the Vulkan loader and the GL libraries an NVIDIA driver's ICD links. */
const GL_PACKAGES = ['libvulkan1', 'libegl1', 'libglvnd0', 'libopengl0', 'libgl1', 'libglx0', 'libgles2'];
/** Shared libraries of node and dawn.node that are not part of glibc: carried as a fallback. */
const RUNTIME_LIBS = ['libstdc++.so.6', 'libgcc_s.so.1'];

const require = createRequire(import.meta.url);
const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const version = (name: string) =>
  (JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')) as { version: string }).version;
const log = (s: string) => console.log(`[gpu-check:prepare] ${s}`);
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

/** xz-compresses `src` to `dest` unless the stamp beside it says this exact source was compressed. */
function compressed(src: string, dest: string): void {
  const s = statSync(src);
  const stamp = `${src} ${s.size} ${s.mtimeMs}`;
  if (existsSync(dest) && existsSync(`${dest}.stamp`) && readFileSync(`${dest}.stamp`, 'utf8') === stamp) {
    log(`${relative(ROOT, dest)}: unchanged, kept`);
    return;
  }
  log(`compressing ${src} (${mb(s.size)}) to ${relative(ROOT, dest)} (minutes on a busy machine)`);
  mkdirSync(dirname(dest), { recursive: true });
  const r = spawnSync('sh', ['-c', 'xz -6 -T0 -c "$1" > "$2"', 'xz', src, `${dest}.tmp`], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`xz failed on ${src} (is xz-utils installed?)`);
  execFileSync('mv', [`${dest}.tmp`, dest]);
  writeFileSync(`${dest}.stamp`, stamp);
}

/** The files `ldd` resolves for these library names, e.g. libstdc++.so.6 → /lib/x86_64-linux-gnu/libstdc++.so.6. */
function resolvedLibs(binary: string, names: string[]): string[] {
  const ldd = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return names.flatMap((n) => {
    const m = new RegExp(`^\\s*${n.replace(/[.+]/g, '\\$&')} => (\\S+)`, 'm').exec(ldd);
    return m ? [m[1]] : [];
  });
}

function vulkanPackages(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const have = readdirSync(dir).filter((f) => f.endsWith('.deb'));
  if (GL_PACKAGES.every((p) => have.some((f) => f.startsWith(`${p}_`)))) {
    log(`${relative(ROOT, dir)}: ${have.length} Vulkan/GL packages, kept`);
    return;
  }
  const r = spawnSync('apt-get', ['download', ...GL_PACKAGES], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0)
    log(
      'WARNING: apt-get download failed: the check will only find a GPU where the machine has libvulkan.so.1 ' +
        '(see /work/.library/device/README.md for the amd64 recipe)',
    );
}

async function bundle(commit: string): Promise<void> {
  const outfile = join(APP, 'gpu-check.mjs');
  await build({
    entryPoints: [join(ROOT, 'src/bench/gpu/gpuCheck.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // tfjs's Node bundles are CommonJS: they call require() for Node's own modules and read __dirname.
    banner: {
      js: [
        "import { createRequire as __gpuCheckRequire } from 'node:module';",
        "import { dirname as __gpuCheckDirname } from 'node:path';",
        "import { fileURLToPath as __gpuCheckPath } from 'node:url';",
        'const require = __gpuCheckRequire(import.meta.url);',
        'const __filename = __gpuCheckPath(import.meta.url);',
        'const __dirname = __gpuCheckDirname(__filename);',
      ].join(' '),
    },
    define: {
      __GPU_CHECK_BUILD__: JSON.stringify({ commit, tfjs: version('@tensorflow/tfjs'), dawn: version('webgpu') }),
    },
    // tfjs-backend-cpu's package marks its entry side-effect free, but importing it registers the
    // backend: keep every module the source imports, as tsx does for the bench.
    ignoreAnnotations: true,
    logLevel: 'warning',
  });
  log(`bundled ${relative(ROOT, outfile)} (${mb(statSync(outfile).size)})`);
}

function copyApp(): void {
  const wasm = join(APP, 'wasm');
  mkdirSync(wasm, { recursive: true });
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'])
    copyFileSync(join(pkgDir('@tensorflow/tfjs-backend-wasm'), 'dist', f), join(wasm, f));
  // The package as published, less the other platforms' binaries; dawn.node travels compressed.
  const webgpu = pkgDir('webgpu');
  const dest = join(APP, 'node_modules/webgpu');
  mkdirSync(join(dest, 'dist/linux-x64'), { recursive: true });
  for (const f of ['package.json', 'index.js', 'LICENSE.md']) copyFileSync(join(webgpu, f), join(dest, f));
  compressed(join(webgpu, 'dist/linux-x64/dawn.node'), join(dest, 'dist/linux-x64/dawn.node.xz'));
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function sizeOf(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, f) => sum + sizeOf(join(path, f)), 0);
}

async function main(): Promise<void> {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(
      `the GPU machine is Linux x86-64; prepare there-compatible files on one (this is ${process.platform} ${process.arch})`,
    );
  const dirty = git('status', '--porcelain').length > 0;
  const commit = `${git('rev-parse', '--short=12', 'HEAD')}${dirty ? '+dirty' : ''}`;
  // APP is rewritten file by file, not removed: it holds the cached dawn.node.xz.
  mkdirSync(APP, { recursive: true });
  await bundle(commit);
  copyApp();
  compressed(process.execPath, join(DIR, 'node.xz'));
  const lib = join(DIR, 'lib');
  mkdirSync(lib, { recursive: true });
  const dawnNode = join(pkgDir('webgpu'), 'dist/linux-x64/dawn.node');
  for (const f of new Set([...resolvedLibs(process.execPath, RUNTIME_LIBS), ...resolvedLibs(dawnNode, RUNTIME_LIBS)]))
    copyFileSync(f, join(lib, basename(f)));
  vulkanPackages(join(DIR, 'gl'));
  copyFileSync(join(ROOT, 'src/bench/gpu/run.sh'), join(DIR, 'run.sh'));
  const manifest = {
    commit,
    preparedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    node: process.version,
    files: readdirSync(DIR, { recursive: true, encoding: 'utf8' })
      .filter((f) => statSync(join(DIR, f)).isFile() && !f.endsWith('.stamp'))
      .sort()
      .map((f) => ({ path: f, bytes: statSync(join(DIR, f)).size })),
  };
  writeFileSync(join(DIR, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const total = sizeOf(DIR);
  const tracked = Number(
    execFileSync('sh', ['-c', 'git ls-files -z | xargs -0 cat 2>/dev/null | wc -c'], { cwd: ROOT, encoding: 'utf8' }),
  );
  log(
    `.gpu-check/ is ${mb(total)}; with the tracked files (${mb(tracked)}) ${mb(total + tracked)} of the ${mb(CARRY_LIMIT)} that travel`,
  );
  if (total + tracked > CARRY_LIMIT) throw new Error('too large to carry to the GPU machine');
  log('on the GPU machine: device run with carry [".gpu-check"] and the command: bash .gpu-check/run.sh');
  log('then here: npm run gpu-check:record -- <the gpu-check.json it returns>');
}

runMain(main, 'Usage: npm run gpu-check:prepare');
