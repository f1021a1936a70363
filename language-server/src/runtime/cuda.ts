// The CUDA provider's prerequisites, named one by one. onnxruntime-node 1.30 ships CPU (and WebGPU) binaries
// only; its CUDA provider is two extra libraries that must sit next to the binding
// (libonnxruntime_providers_cuda.so + libonnxruntime_providers_shared.so, downloaded by the package's install
// script: `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node`), and those need the CUDA 12 runtime,
// cuBLAS, cuFFT, cuRAND and cuDNN 9 on the loader path (a system CUDA install, or the folders named by
// `archlens.inference.cudaLibraryPath`, which the inference process gets on LD_LIBRARY_PATH / PATH).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const CUDA_INSTALL_HINT = 'install them with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (needs network access; see docs/gpu.md)';

export function cudaProviderLibraries(platform: NodeJS.Platform): string[] {
  return platform === 'win32'
    ? ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll']
    : ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];
}

/** The environment with `libPath` (folders, `:`-separated) put first on the shared-library search path. */
export function withCudaLibraryPath(env: NodeJS.ProcessEnv, libPath: string | undefined, platform: NodeJS.Platform = process.platform): NodeJS.ProcessEnv {
  if (!libPath?.trim()) return env;
  const key = platform === 'win32' ? 'PATH' : 'LD_LIBRARY_PATH';
  const old = env[key];
  return { ...env, [key]: old ? `${libPath}${delimiter}${old}` : libPath };
}

/** Shared libraries `ldd` cannot find for `lib` (`libcudnn.so.9`, …); [] when ldd is unavailable. */
export function missingDependencies(lib: string, env: NodeJS.ProcessEnv = process.env): string[] {
  let text = '';
  try {
    text = execFileSync('ldd', [lib], { env, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    text = String((e as { stdout?: string }).stdout ?? '');
  }
  return parseLddMissing(text);
}

export function parseLddMissing(text: string): string[] {
  return [...new Set([...text.matchAll(/^\s*(\S+) => not found/gm)].map((m) => m[1]))];
}

/** Why CUDA cannot be tried (missing provider library or dependency), or undefined. */
export function cudaProblem(bindingDir: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const libs = cudaProviderLibraries(platform);
  const absent = libs.filter((l) => !bindingDir || !existsSync(join(bindingDir, l)));
  if (absent.length) return `provider library ${absent.join(' and ')} not found next to the onnxruntime binding (${bindingDir || 'unknown folder'}): ${CUDA_INSTALL_HINT}`;
  if (platform !== 'linux') return undefined;
  const missing = missingDependencies(join(bindingDir, libs[0]), env);
  if (missing.length) return `the CUDA provider needs ${missing.join(', ')}, not found on the library path: install CUDA 12 and cuDNN 9, or point archlens.inference.cudaLibraryPath at their folders`;
  return undefined;
}

/** `NVIDIA H200` from the NVIDIA driver's /proc files, when present. */
export function nvidiaGpuName(root = '/proc/driver/nvidia/gpus'): string | undefined {
  try {
    for (const bus of readdirSync(root)) {
      const m = /^Model:\s*(.+)$/m.exec(readFileSync(join(root, bus, 'information'), 'utf8'));
      if (m) return m[1].trim();
    }
  } catch {
    // no NVIDIA driver
  }
  return undefined;
}
